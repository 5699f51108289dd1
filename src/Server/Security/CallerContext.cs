using System.Security.Claims;

namespace MhaRights.Server.Security;

/// <summary>
/// The authenticated caller, as recorded on audit events. Comes from the authenticated identity only, never
/// from request fields (Security/ApiKeyAuthenticationHandler, JWT bearer).
/// </summary>
public sealed record CallerIdentity(string Principal, string Role, string? DisplayName)
{
    /// <summary>Which patients and trust-wide RPCs the caller reaches (Security/PatientScope.cs). Callers built in
    /// code (the server itself) are trust-wide; callers from a principal get exactly what their credential says.</summary>
    public CallerScope Scope { get; init; } = CallerScope.TrustWideIdentifiable;

    public static readonly CallerIdentity System = new("system", "system", "MhaRights server");

    public static readonly CallerIdentity Anonymous = new("anonymous", "none", null) { Scope = CallerScope.None };

    /// <summary>Claim carrying the display name recorded on audit events (not used for access).</summary>
    public const string DisplayNameClaim = "display_name";

    public static CallerIdentity FromPrincipal(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        // API keys: the caller read from the same claims when the key was cached (CachedApiKey.Caller).
        return user is CallerPrincipal { Caller: var caller } ? caller : FromClaims(user);
    }

    /// <summary>The caller an authenticated principal's claims describe.</summary>
    public static CallerIdentity FromClaims(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown";
        // API keys put the role in ClaimTypes.Role; JWTs in the configured role claim (Authentication:Jwt:RoleClaim).
        var roleClaim = (user.Identity as ClaimsIdentity)?.RoleClaimType ?? ClaimTypes.Role;
        var role = user.FindFirstValue(ClaimTypes.Role) ?? user.FindFirstValue(roleClaim) ?? "none";
        return new CallerIdentity(id, role, user.FindFirstValue(DisplayNameClaim) ?? user.FindFirstValue("name"))
        {
            Scope = CallerScope.FromPrincipal(user),
        };
    }
}

/// <summary>
/// A principal built together with the caller its claims describe (Security/ApiKeyAuthenticationHandler), so the
/// interceptors and the audit log do not each read the claims again on every request.
/// </summary>
public sealed class CallerPrincipal(ClaimsIdentity identity, CallerIdentity caller) : ClaimsPrincipal(identity)
{
    public CallerIdentity Caller { get; } = caller;
}

/// <summary>Scoped accessor for the current caller.</summary>
public interface ICallerContext
{
    CallerIdentity Caller { get; }
}

internal sealed class HttpCallerContext(IHttpContextAccessor accessor) : ICallerContext
{
    // The scope check, the handler, the unit of work and the audit log each ask for the caller: read the claims
    // once per principal (authentication replaces the principal object, which starts a fresh read).
    private (ClaimsPrincipal? User, CallerIdentity Identity)? _last;

    public CallerIdentity Caller
    {
        get
        {
            var user = accessor.HttpContext?.User;
            if (_last is { } last && ReferenceEquals(last.User, user))
            {
                return last.Identity;
            }

            var identity = CallerIdentity.FromPrincipal(user);
            _last = (user, identity);
            return identity;
        }
    }
}
