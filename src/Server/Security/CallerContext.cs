using System.Security.Claims;

namespace MhaRights.Server.Security;

/// <summary>
/// The authenticated caller, as recorded on audit events. Comes from the authenticated identity only, never
/// from request fields. Until authentication is configured every call runs as the anonymous principal.
/// </summary>
public sealed record CallerIdentity(string Principal, string Role, string? DisplayName)
{
    public static readonly CallerIdentity System = new("system", "system", "MhaRights server");

    public static readonly CallerIdentity Anonymous = new("anonymous", "none", null);

    public static CallerIdentity FromPrincipal(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name ?? "unknown";
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "none";
        return new CallerIdentity(id, role, user.FindFirstValue("display_name"));
    }
}

/// <summary>Scoped accessor for the current caller.</summary>
public interface ICallerContext
{
    CallerIdentity Caller { get; }
}

internal sealed class HttpCallerContext(IHttpContextAccessor accessor) : ICallerContext
{
    public CallerIdentity Caller => CallerIdentity.FromPrincipal(accessor.HttpContext?.User);
}
