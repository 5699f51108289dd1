using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MhaRights.Server.Security;

/// <summary>
/// Authenticates <c>authorization: ApiKey &lt;key&gt;</c> or <c>x-api-key: &lt;key&gt;</c>. The principal is the key's
/// resource name and its role; a display name sent in <c>x-mharights-display-name</c> is carried for the record
/// only (it never affects access).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string DisplayNameHeader = "x-mharights-display-name";

    public static string? ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[(SchemeName.Length + 1)..].Trim();
        }

        var header = request.Headers["x-api-key"].ToString();
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeyStore.TryParse(presented, out _, out _))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var key = await keys.ValidateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Api.ResourceNames.ApiKey(key.Id)),
            new(ClaimTypes.Role, key.Role),
        };
        var displayName = Request.Headers[DisplayNameHeader].ToString();
        claims.Add(new Claim(CallerIdentity.DisplayNameClaim, string.IsNullOrWhiteSpace(displayName) ? key.DisplayName : displayName.Trim()[..Math.Min(200, displayName.Trim().Length)]));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
