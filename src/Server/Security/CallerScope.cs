using System.Security.Claims;
using System.Text.RegularExpressions;

namespace MhaRights.Server.Security;

/// <summary>
/// What a credential reaches beyond its role: the ODS sites it is bound to (or the whole trust), whether it may
/// name the user it acts for, and whether an auditor sees identifiers. Carried as claims with the fixed names below:
/// the API key handler writes them from the key, the JWT bearer handler from the configured token claims
/// (Authentication:Jwt:SitesClaim, TrustWideClaim, IdentifiableAccessClaim).
/// </summary>
public sealed partial record CallerScope(bool TrustWide, IReadOnlyList<string> Sites, bool MayActForNamedUser, bool IdentifiableAccess)
{
    public const string SiteClaim = "mharights:site";
    public const string TrustWideClaim = "mharights:trust_wide";
    public const string NamedUserClaim = "mharights:may_act_for_named_user";
    public const string IdentifiableClaim = "mharights:identifiable_access";

    /// <summary>Most sites one credential may be bound to (beyond that, use trust_wide).</summary>
    public const int MaxSites = 50;

    public static readonly CallerScope TrustWideIdentifiable = new(true, [], false, true);

    /// <summary>A credential with no scope claims reaches no patient: the safe reading of a token that says nothing.</summary>
    public static readonly CallerScope None = new(false, [], false, false);

    public static CallerScope FromPrincipal(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var sites = user.FindAll(SiteClaim).Select(c => c.Value).Where(IsSiteCode).Distinct(StringComparer.Ordinal).ToList();
        return new CallerScope(IsTrue(user, TrustWideClaim), sites, IsTrue(user, NamedUserClaim), IsTrue(user, IdentifiableClaim));
    }

    /// <summary>True when the caller may reach a patient with an episode at <paramref name="site"/>.</summary>
    public bool Covers(string? site) => TrustWide || (site is not null && Sites.Contains(site, StringComparer.Ordinal));

    /// <summary>The claims that carry a scope (API keys; JWTs after mapping).</summary>
    public IEnumerable<Claim> ToClaims()
    {
        foreach (var site in Sites)
        {
            yield return new Claim(SiteClaim, site);
        }

        yield return new Claim(TrustWideClaim, TrustWide ? "true" : "false");
        yield return new Claim(NamedUserClaim, MayActForNamedUser ? "true" : "false");
        yield return new Claim(IdentifiableClaim, IdentifiableAccess ? "true" : "false");
    }

    /// <summary>An ODS organisation or site code as the service accepts it: 3-6 uppercase letters or digits (RX4, RX4E2).</summary>
    public static bool IsSiteCode(string? value) => value is not null && SitePattern().IsMatch(value);

    /// <summary>Site codes from a key column or a token claim: separated by spaces or commas.</summary>
    public static IReadOnlyList<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when any <paramref name="type"/> claim says "true" (scope claims and configured token claims alike).</summary>
    internal static bool IsTrue(ClaimsPrincipal user, string type) =>
        user.FindAll(type).Any(c => string.Equals(c.Value, "true", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[A-Z0-9]{3,6}$")]
    private static partial Regex SitePattern();
}
