using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MhaRights.Server.Security;

/// <summary>
/// Authenticates <c>authorization: ApiKey &lt;key&gt;</c> or <c>x-api-key: &lt;key&gt;</c>. The principal is the key's
/// resource name, its role and its scope (<see cref="CallerScope"/>). A display name sent in
/// <c>x-mharights-display-name</c> is carried for the record only, and only from a key that may act for a named
/// user; the access interceptor refuses the header from other keys and validates it (docs/security.md).
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

    /// <summary>The claims of a request made with <paramref name="key"/>: its resource name, role, scope and the display name recorded.</summary>
    internal static ClaimsIdentity IdentityFor(ApiKey key, CallerScope scope, string resourceName, string displayName)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, resourceName),
            new(ClaimTypes.Role, key.Role),
        };
        claims.AddRange(scope.ToClaims());
        claims.Add(new Claim(CallerIdentity.DisplayNameClaim, displayName));
        return new ClaimsIdentity(claims, SchemeName);
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

        var validated = await keys.ValidateCachedAsync(presented, Context.RequestAborted);
        if (validated is null)
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked API key.");
        }

        var principal = PrincipalFor(validated, validated.Scope.MayActForNamedUser ? Request.Headers[DisplayNameHeader].ToString() : null);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// The principal of a request made with <paramref name="validated"/>, recording <paramref name="displayNameHeader"/>
    /// when it names someone (only passed for keys that may act for a named user), else the key's display name.
    /// </summary>
    internal static CallerPrincipal PrincipalFor(CachedApiKey validated, string? displayNameHeader)
    {
        var header = displayNameHeader?.Trim() ?? string.Empty;
        var displayName = header.Length == 0 ? validated.Key.DisplayName : header;
        var caller = header.Length == 0 ? validated.Caller : validated.Caller with { DisplayName = displayName };
        return new CallerPrincipal(IdentityFor(validated.Key, validated.Scope, validated.ResourceName, displayName), caller);
    }
}
