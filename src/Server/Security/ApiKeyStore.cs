using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MhaRights.Server.Security;

/// <summary>
/// Creates, validates and revokes API keys. A key reads <c>mhr.&lt;prefix&gt;.&lt;secret&gt;</c>: the prefix finds the row,
/// the secret (256 random bits) is checked against a salted SHA-256 hash in constant time. The secret is never
/// stored or logged.
/// </summary>
public sealed class ApiKeyStore(MhaRightsDbContext db, AuditLog audit, IMemoryCache cache, TimeProvider time)
{
    /// <summary>How long a validated key is trusted without a database read. A revocation made on another server
    /// instance takes at most this long to bite there; on this instance it is immediate.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private const string Scheme = "mhr";

    /// <summary>Creates a key inside the caller's unit of work; returns the entity and the secret to show once.
    /// Without <paramref name="scope"/> the key is trust-wide and may not name a user (the bootstrap admin key).</summary>
    public (ApiKey Key, string Secret) Create(string displayName, string role, DateTime expireTime, CallerIdentity createdBy, CallerScope? scope = null)
    {
        ArgumentNullException.ThrowIfNull(createdBy);
        scope ??= new CallerScope(TrustWide: true, [], MayActForNamedUser: false, IdentifiableAccess: false);
        if (!Roles.All.Contains(role))
        {
            throw new ValidationFailedException("api_key.role", $"must be one of {string.Join(", ", Roles.All)}");
        }

        var prefix = Ids.New()[..10];
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        var key = new ApiKey
        {
            Id = Ids.New(),
            DisplayName = displayName,
            Role = role,
            Prefix = prefix,
            Salt = salt,
            SecretHash = Hash(salt, secret),
            ExpireTime = expireTime,
            CreatedByPrincipal = createdBy.Principal,
            CreatedByRole = createdBy.Role,
            CreateTime = now,
            Sites = string.Join(' ', scope.Sites),
            TrustWide = scope.TrustWide,
            MayActForNamedUser = scope.MayActForNamedUser,
            IdentifiableAccess = scope.IdentifiableAccess,
        };
        db.ApiKeys.Add(key);
        var reach = scope.TrustWide ? "trust-wide" : "sites " + key.Sites;
        audit.Record(new AuditEntry("CreateApiKey", ResourceNames.ApiKey(key.Id), ToState: "Active",
            Reason: $"{displayName} ({role}, {reach}{(scope.MayActForNamedUser ? ", may act for named user" : string.Empty)}{(scope.IdentifiableAccess ? ", identifiable access" : string.Empty)}), expires {LondonTime.Format(expireTime)}"));
        return (key, $"{Scheme}.{prefix}.{secret}");
    }

    public void Revoke(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.RevokeTime is not null)
        {
            throw new MhaRights.Server.Workflow.InvalidTransitionException<string, string>("Revoked", "RevokeApiKey", []);
        }

        key.RevokeTime = time.GetUtcNow().UtcDateTime;
        cache.Remove(CacheKey(key.Prefix));
        audit.Record(new AuditEntry("RevokeApiKey", ResourceNames.ApiKey(key.Id), FromState: "Active", ToState: "Revoked"));
    }

    /// <summary>The key's owner if the presented value is a current key; null for unknown, wrong, expired or revoked.</summary>
    public async Task<ApiKey?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!TryParse(presented, out var prefix, out var secret))
        {
            return null;
        }

        var key = await cache.GetOrCreateAsync(CacheKey(prefix), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        });
        if (key is null)
        {
            return null;
        }

        var expected = Convert.FromHexString(key.SecretHash);
        var actual = Convert.FromHexString(Hash(key.Salt, secret));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        return key.RevokeTime is null && key.ExpireTime > time.GetUtcNow().UtcDateTime ? key : null;
    }

    /// <summary>Shape check only: "mhr.&lt;10 chars&gt;.&lt;43 chars&gt;".</summary>
    public static bool TryParse(string? presented, out string prefix, out string secret)
    {
        prefix = secret = string.Empty;
        var parts = presented?.Trim().Split('.');
        if (parts is not { Length: 3 } || parts[0] != Scheme || parts[1].Length != 10 || parts[2].Length != 43 || !Ids.IsValid(parts[1]))
        {
            return false;
        }

        prefix = parts[1];
        secret = parts[2];
        return true;
    }

    public static string StateOf(ApiKey key, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.RevokeTime is not null ? "Revoked" : key.ExpireTime <= now ? "Expired" : "Active";
    }

    /// <summary>The key's scope as stored.</summary>
    public static CallerScope ScopeOf(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new CallerScope(key.TrustWide, CallerScope.Split(key.Sites), key.MayActForNamedUser, key.IdentifiableAccess);
    }

    private static string CacheKey(string prefix) => "apikey:" + prefix;

    private static string Hash(string salt, string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + secret)));
}
