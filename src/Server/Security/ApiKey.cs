using MhaRights.Server.Persistence;

namespace MhaRights.Server.Security;

/// <summary>An API key. Only a salted hash of the secret is stored; the secret is shown once, at creation.</summary>
public sealed class ApiKey : IVersioned
{
    public required string Id { get; set; }

    public required string DisplayName { get; set; }

    public required string Role { get; set; }

    /// <summary>First characters of the secret, to recognise a key in lists and logs.</summary>
    public required string Prefix { get; set; }

    /// <summary>Random per-key salt (hex).</summary>
    public required string Salt { get; set; }

    /// <summary>Hex SHA-256 of salt + secret.</summary>
    public required string SecretHash { get; set; }

    public DateTime ExpireTime { get; set; }

    public DateTime? RevokeTime { get; set; }

    public required string CreatedByPrincipal { get; set; }

    public required string CreatedByRole { get; set; }

    public DateTime CreateTime { get; set; }

    public long Version { get; set; }

    /// <summary>Space-separated ODS site codes the key is bound to; empty for a trust-wide key (docs/security.md).</summary>
    public string Sites { get; set; } = string.Empty;

    /// <summary>Reaches every patient and the trust-wide RPCs. Keys made before site scopes existed are trust-wide.</summary>
    public bool TrustWide { get; set; }

    /// <summary>May name the person it acts for in x-mharights-display-name.</summary>
    public bool MayActForNamedUser { get; set; }

    /// <summary>An auditor key that sees identifiers instead of pseudonyms.</summary>
    public bool IdentifiableAccess { get; set; }
}
