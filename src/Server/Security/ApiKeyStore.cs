using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Security;

/// <summary>
/// Creates, validates and revokes API keys. A key reads <c>mhr.&lt;prefix&gt;.&lt;secret&gt;</c>: the prefix finds the row,
/// the secret (256 random bits) is checked against a salted SHA-256 hash in constant time. The secret is never
/// stored or logged.
/// </summary>
public sealed class ApiKeyStore(MhaRightsDbContext db, AuditLog audit, ApiKeyCache cache, TimeProvider time)
{
    private const string Scheme = "mhr";

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<ApiKey?>>> KeyByPrefix = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string prefix, CancellationToken ct) =>
            db.ApiKeys.AsNoTracking().FirstOrDefault(k => k.Prefix == prefix)));

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

        // Random only: a key's lookup prefix travels in every request and should not say when the key was made.
        var prefix = Ids.Random(10);
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        var key = new ApiKey
        {
            Id = Ids.New(now),
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
        cache.MarkRevoked(key.Prefix);
        audit.Record(new AuditEntry("RevokeApiKey", ResourceNames.ApiKey(key.Id), FromState: "Active", ToState: "Revoked"));
    }

    /// <summary>The key's owner if the presented value is a current key; null for unknown, wrong, expired or revoked.</summary>
    public async Task<ApiKey?> ValidateAsync(string presented, CancellationToken cancellationToken) =>
        (await ValidateCachedAsync(presented, cancellationToken))?.Key;

    /// <summary>
    /// As <see cref="ValidateAsync"/>, with the scope and resource name derived once per cached key. A key found in
    /// the cache is trusted as it was read up to the cache lifetime ago (revocation elsewhere bites within that bound);
    /// the secret and the expiry are checked on every call.
    /// </summary>
    public async Task<CachedApiKey?> ValidateCachedAsync(string presented, CancellationToken cancellationToken)
    {
        if (!TryParse(presented, out var prefix, out var secret))
        {
            return null;
        }

        if (!cache.TryGet(prefix, out var cached))
        {
            var row = await KeyByPrefix.For(db)(db, prefix, cancellationToken);
            if (row is null)
            {
                // Not cached: unknown prefixes must not take memory, and a key created elsewhere works at once.
                return null;
            }

            cached = new CachedApiKey(row, Convert.FromHexString(row.SecretHash), ScopeOf(row), ResourceNames.ApiKey(row.Id));
            cache.Add(cached);
        }

        if (!CryptographicOperations.FixedTimeEquals(cached.SecretHash, HashBytes(cached.Key.Salt, secret)))
        {
            return null;
        }

        return cached.Key.RevokeTime is null && cached.Key.ExpireTime > time.GetUtcNow().UtcDateTime ? cached : null;
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

    private static string Hash(string salt, string secret) => Convert.ToHexStringLower(HashBytes(salt, secret));

    private static byte[] HashBytes(string salt, string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + secret));
}
