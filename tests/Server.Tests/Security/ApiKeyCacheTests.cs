using Grpc.Core;
using Grpc.Net.Client;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MhaRights.Server.Tests.Security;

/// <summary>The API-key cache (Security/ApiKeyCache.cs): how long a revocation may lag, and what it never caches.</summary>
public sealed class ApiKeyCacheTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    [Fact]
    public void CacheLifetime_Default_FiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new SecurityOptions().ApiKeys.CacheLifetime);
    }

    [Fact]
    public async Task ApiKey_RevokedOnAnotherInstance_AcceptedInsideLifetimeRefusedAfter()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);
        var key = await CreateKeyAsync(first);
        using var onSecond = second.ChannelWithKey(key.Secret);
        Assert.Equal(StatusCode.OK, await CallAsync(onSecond));

        using var admin = first.ChannelFor(Roles.Admin);
        await new Contracts.V1.ApiKeyService.ApiKeyServiceClient(admin).RevokeApiKeyAsync(new Contracts.V1.RevokeApiKeyRequest { Name = key.ApiKey.Name });
        using var onFirst = first.ChannelWithKey(key.Secret);
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(onFirst));

        // Deliberately allowed: the second instance trusts what it read for up to the cache lifetime.
        second.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(StatusCode.OK, await CallAsync(onSecond));

        second.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(onSecond));
    }

    [Fact]
    public async Task ApiKey_WrongSecretForCachedKey_Unauthenticated()
    {
        await using var app = await TestApp.StartAsync();
        var key = await CreateKeyAsync(app);
        using var good = app.ChannelWithKey(key.Secret);
        Assert.Equal(StatusCode.OK, await CallAsync(good));

        var parts = key.Secret.Split('.');
        var wrong = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        using var bad = app.ChannelWithKey(wrong);
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(bad));
        Assert.Equal(StatusCode.OK, await CallAsync(good));
    }

    [Fact]
    public async Task ApiKey_UnknownKeys_NeverCached()
    {
        await using var app = await TestApp.StartAsync();
        var cache = app.Services.GetRequiredService<ApiKeyCache>();
        var before = cache.Count;
        for (var i = 0; i < 5; i++)
        {
            using var unknown = app.ChannelWithKey($"mhr.{MhaRights.Server.Common.Ids.Random(10)}.{new string('A', 43)}");
            Assert.Equal(StatusCode.Unauthenticated, await CallAsync(unknown));
        }

        Assert.Equal(before, cache.Count);
    }

    [Fact]
    public void ApiKeyCache_Full_RefusesNewEntriesUntilOldOnesExpire()
    {
        var clock = new FakeTimeProvider(TestApp.DefaultStart);
        var options = new SecurityOptions { ApiKeys = { CacheLifetime = TimeSpan.FromSeconds(5), CacheMaxEntries = 2 } };
        var cache = new ApiKeyCache(options, clock);
        cache.Add(Entry("aaaaaaaaaa"));
        cache.Add(Entry("bbbbbbbbbb"));
        cache.Add(Entry("cccccccccc"));
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("cccccccccc", out _));

        clock.Advance(TimeSpan.FromSeconds(5));
        cache.Add(Entry("cccccccccc"));
        Assert.True(cache.TryGet("cccccccccc", out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ApiKeyCache_RevokedHere_NotReaddedInsideLifetime()
    {
        var clock = new FakeTimeProvider(TestApp.DefaultStart);
        var cache = new ApiKeyCache(new SecurityOptions(), clock);
        cache.Add(Entry("aaaaaaaaaa"));
        cache.MarkRevoked("aaaaaaaaaa");
        Assert.False(cache.TryGet("aaaaaaaaaa", out _));

        // A read that raced the revoking unit of work may try to put the old row back: refused.
        cache.Add(Entry("aaaaaaaaaa"));
        Assert.False(cache.TryGet("aaaaaaaaaa", out _));
        clock.Advance(TimeSpan.FromSeconds(5));
        cache.Add(Entry("aaaaaaaaaa"));
        Assert.True(cache.TryGet("aaaaaaaaaa", out _));
    }

    [Theory]
    [InlineData(true, "", false, true, null)]
    [InlineData(false, "RX4,RX4AB", false, false, null)]
    [InlineData(false, "RX4", true, true, "  Dr A Khan  ")]
    [InlineData(false, "RX4", true, false, "")]
    [InlineData(false, "", false, false, null)]
    public void CachedCaller_AnyScopeAndDisplayName_SameCallerAsReadFromTheClaims(bool trustWide, string sites, bool namedUser, bool identifiable, string? header)
    {
        var key = new ApiKey
        {
            Id = "aaaaaaaaaa", DisplayName = "Ward tablet", Role = Roles.Clinician, Prefix = "aaaaaaaaaa", Salt = "00", SecretHash = "00",
            CreatedByPrincipal = "system", CreatedByRole = "system", TrustWide = trustWide, Sites = sites, MayActForNamedUser = namedUser,
            IdentifiableAccess = identifiable,
        };
        var principal = ApiKeyAuthenticationHandler.PrincipalFor(new CachedApiKey(key, [0], ApiKeyStore.ScopeOf(key), "apiKeys/aaaaaaaaaa"), header);

        // What the interceptors and the audit log get, against a fresh read of the claims the request carries.
        var cached = CallerIdentity.FromPrincipal(principal);
        var read = CallerIdentity.FromClaims(new System.Security.Claims.ClaimsPrincipal(principal.Identities));
        Assert.Equal(
            (read.Principal, read.Role, read.DisplayName, read.Scope.TrustWide, string.Join(",", read.Scope.Sites), read.Scope.MayActForNamedUser, read.Scope.IdentifiableAccess),
            (cached.Principal, cached.Role, cached.DisplayName, cached.Scope.TrustWide, string.Join(",", cached.Scope.Sites), cached.Scope.MayActForNamedUser, cached.Scope.IdentifiableAccess));
        Assert.Equal(string.IsNullOrWhiteSpace(header) ? "Ward tablet" : header.Trim(), cached.DisplayName);
    }

    private static CachedApiKey Entry(string prefix) => new(
        new ApiKey { Id = prefix, DisplayName = "k", Role = Roles.Clinician, Prefix = prefix, Salt = "00", SecretHash = "00", CreatedByPrincipal = "system", CreatedByRole = "system" },
        [0], CallerScope.TrustWideIdentifiable, "apiKeys/" + prefix);

    private static async Task<Contracts.V1.CreateApiKeyResponse> CreateKeyAsync(TestApp app)
    {
        using var admin = app.ChannelFor(Roles.Admin);
        return await new Contracts.V1.ApiKeyService.ApiKeyServiceClient(admin).CreateApiKeyAsync(new Contracts.V1.CreateApiKeyRequest
        {
            ApiKey = new Contracts.V1.ApiKey { DisplayName = "Ward tablet", Role = Roles.Clinician, TrustWide = true, ExpireTime = Scenario.At(app.Clock.GetUtcNow().AddDays(1)) },
        });
    }

    private static async Task<StatusCode> CallAsync(GrpcChannel channel)
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "mharights.v1.PatientService", "ListPatients", Bytes, Bytes);
        try
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), []);
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
