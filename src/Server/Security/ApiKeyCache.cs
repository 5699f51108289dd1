using System.Collections.Concurrent;
using System.Security.Claims;

namespace MhaRights.Server.Security;

/// <summary>
/// Validated API keys, trusted for <see cref="SecurityOptions.ApiKeySettings.CacheLifetime"/> without a database read
/// (docs/security.md "API keys"). Only keys that exist are ever stored (by prefix, the row's unique handle), so unknown
/// or malformed keys cannot fill memory, and a hit still checks the presented secret against the row's salted hash,
/// so a wrong secret is never accepted from the cache. The entry count is bounded as well. Lifetimes are measured on
/// the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ApiKeyCache(SecurityOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = options?.ApiKeys.CacheLifetime ?? SecurityOptions.ApiKeySettings.DefaultCacheLifetime;
    private readonly int _maxEntries = options?.ApiKeys.CacheMaxEntries ?? SecurityOptions.ApiKeySettings.DefaultCacheMaxEntries;

    /// <summary>Entries held now (for tests of the bound).</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The cached row for <paramref name="prefix"/> while it is fresh; false when there is none, it is stale, or the key
    /// was revoked on this instance within the lifetime (then every lookup reads the database until the revocation is
    /// certainly committed, instead of re-caching the row as it was before the revoking unit of work committed).
    /// </summary>
    public bool TryGet(string prefix, out CachedApiKey key)
    {
        key = default!;
        if (!_entries.TryGetValue(prefix, out var entry))
        {
            return false;
        }

        if (time.GetUtcNow() >= entry.ValidUntil)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(prefix, entry));
            return false;
        }

        if (entry.Key is null)
        {
            return false;
        }

        key = entry.Key;
        return true;
    }

    /// <summary>Stores a key that exists (never a failed lookup). Refused while the prefix carries a revocation mark.</summary>
    public void Add(CachedApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key.Key.Prefix, out var existing) && existing.Key is null && now < existing.ValidUntil)
        {
            return;
        }

        if (_entries.Count >= _maxEntries)
        {
            Prune(now);
            if (_entries.Count >= _maxEntries)
            {
                return;
            }
        }

        _entries[key.Key.Prefix] = new Entry(key, now + _lifetime);
    }

    /// <summary>Forgets the key at once on this instance and keeps it out of the cache for one lifetime.</summary>
    public void MarkRevoked(string prefix) => _entries[prefix] = new Entry(null, time.GetUtcNow() + _lifetime);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (prefix, entry) in _entries)
        {
            if (now >= entry.ValidUntil)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(prefix, entry));
            }
        }
    }

    private sealed record Entry(CachedApiKey? Key, DateTimeOffset ValidUntil);
}

/// <summary>A key row as read from the database with what each request derives from it, computed once.</summary>
public sealed record CachedApiKey(ApiKey Key, byte[] SecretHash, CallerScope Scope, string ResourceName)
{
    /// <summary>
    /// The caller this key's claims describe, with the key's own display name: read from those claims
    /// (<see cref="CallerIdentity.FromPrincipal"/>) once per cached key instead of by each reader of each request.
    /// </summary>
    public CallerIdentity Caller { get; } = CallerIdentity.FromClaims(new ClaimsPrincipal(ApiKeyAuthenticationHandler.IdentityFor(Key, Scope, ResourceName, Key.DisplayName)));
}
