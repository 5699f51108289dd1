namespace MhaRights.Server.Security;

/// <summary>Configuration section "Authentication". Either mechanism can be switched off; no call is anonymous.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Authentication";

    public ApiKeySettings ApiKeys { get; set; } = new();

    public JwtSettings Jwt { get; set; } = new();

    public sealed class ApiKeySettings
    {
        /// <summary>API keys (the embedded default). Default on.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Lifetime of the bootstrap admin key created on first start.</summary>
        public TimeSpan BootstrapKeyLifetime { get; set; } = TimeSpan.FromDays(30);

        public static readonly TimeSpan DefaultCacheLifetime = TimeSpan.FromSeconds(5);

        public const int DefaultCacheMaxEntries = 10_000;

        /// <summary>How long a validated key is trusted without a database read: the bound on how late a revocation
        /// made on another instance (or directly in the database) bites here. Zero turns the cache off; at most 5 minutes.</summary>
        public TimeSpan CacheLifetime { get; set; } = DefaultCacheLifetime;

        /// <summary>Most keys held in the cache at once (only keys that exist are cached).</summary>
        public int CacheMaxEntries { get; set; } = DefaultCacheMaxEntries;
    }

    public sealed class JwtSettings
    {
        /// <summary>Bearer tokens from an OIDC issuer (e.g. NHS CIS2). Default off.</summary>
        public bool Enabled { get; set; }

        /// <summary>OIDC authority (issuer URL); its discovery document supplies the signing keys.</summary>
        public string? Authority { get; set; }

        /// <summary>Expected audience.</summary>
        public string? Audience { get; set; }

        /// <summary>Claim whose value is one of the service's roles (epr-integration, clinician, mha-office, auditor, admin).</summary>
        public string RoleClaim { get; set; } = "roles";

        /// <summary>Claim listing the ODS site codes the user works at (repeated, a JSON array, or space/comma separated).</summary>
        public string SitesClaim { get; set; } = "sites";

        /// <summary>Claim that, when "true", makes the user trust-wide (all patients, reports, audit trail).</summary>
        public string TrustWideClaim { get; set; } = "trust_wide";

        /// <summary>Claim that, when "true", lets an auditor see identifiers instead of pseudonyms.</summary>
        public string IdentifiableAccessClaim { get; set; } = "identifiable_access";
    }
}
