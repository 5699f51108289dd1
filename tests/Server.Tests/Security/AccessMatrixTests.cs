using System.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>Every RPC x every role against the matrix in Security/AccessPolicy.cs, through the real stack.</summary>
public sealed class AccessMatrixTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static IReadOnlyList<string> DeclaredMethods { get; } = typeof(MhaRights.Contracts.V1.PatientService).Assembly.GetTypes()
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<Google.Protobuf.Reflection.FileDescriptor>()
        .SelectMany(f => f.Services)
        .SelectMany(s => s.Methods.Select(m => $"{s.FullName}/{m.Name}"))
        .Order(StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void Matrix_EveryDeclaredRpc_HasAnEntryAndNoStaleOnes()
    {
        Assert.Equal(DeclaredMethods, AccessPolicy.Matrix.Keys.Order(StringComparer.Ordinal));
        Assert.All(AccessPolicy.Matrix.Values, roles => Assert.All(roles, r => Assert.Contains(r, Roles.All)));
    }

    [Fact]
    public async Task EveryRpc_EveryRole_AllowedOrPermissionDeniedAsTheMatrixSays()
    {
        await using var app = await TestApp.StartAsync();
        var failures = new List<string>();
        foreach (var role in Roles.All)
        {
            using var channel = app.ChannelFor(role);
            foreach (var method in DeclaredMethods)
            {
                var status = await CallAsync(channel, method);
                var allowed = AccessPolicy.IsAllowed("/" + method, role);
                var ok = allowed
                    ? status is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated)
                    : status == StatusCode.PermissionDenied;
                if (!ok)
                {
                    failures.Add($"{role} -> {method}: expected {(allowed ? "allowed" : "PERMISSION_DENIED")}, got {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task EveryRpc_NoCredentials_Unauthenticated()
    {
        await using var app = await TestApp.StartAsync();
        using var channel = app.ChannelFor(null);
        foreach (var method in DeclaredMethods)
        {
            Assert.Equal(StatusCode.Unauthenticated, await CallAsync(channel, method));
        }
    }

    [Theory]
    [InlineData("mhr.short.key")]
    [InlineData("not-a-key-at-all")]
    [InlineData("mhr.abcdefghij.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task GetPatient_MalformedOrUnknownKey_Unauthenticated(string key)
    {
        await using var app = await TestApp.StartAsync();
        using var channel = app.ChannelWithKey(key);
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(channel, "mharights.v1.PatientService/ListPatients"));
    }

    [Fact]
    public async Task ApiKey_ExpiredOrRevoked_Unauthenticated()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = app.ChannelFor(Roles.Admin);
        var keys = new MhaRights.Contracts.V1.ApiKeyService.ApiKeyServiceClient(admin);
        var created = await keys.CreateApiKeyAsync(new MhaRights.Contracts.V1.CreateApiKeyRequest
        {
            ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "Ward tablet", Role = Roles.Clinician, TrustWide = true, ExpireTime = Scenario.At(app.Clock.GetUtcNow().AddDays(1)) },
        });
        Assert.StartsWith("mhr.", created.Secret, StringComparison.Ordinal);
        var listed = await keys.ListApiKeysAsync(new MhaRights.Contracts.V1.ListApiKeysRequest());
        Assert.DoesNotContain(listed.ApiKeys, k => k.ToString().Contains(created.Secret.Split('.')[2], StringComparison.Ordinal));

        using var clinician = app.ChannelWithKey(created.Secret);
        Assert.Equal(StatusCode.OK, await CallAsync(clinician, "mharights.v1.PatientService/ListPatients"));

        // Expired: a day later the same key no longer works (the cache does not outlive the expiry check).
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(clinician, "mharights.v1.PatientService/ListPatients"));

        // Revoked: immediately refused.
        var second = await keys.CreateApiKeyAsync(new MhaRights.Contracts.V1.CreateApiKeyRequest
        {
            ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "EPR feed", Role = Roles.EprIntegration, TrustWide = true, ExpireTime = Scenario.At(app.Clock.GetUtcNow().AddDays(30)) },
        });
        using var epr = app.ChannelWithKey(second.Secret);
        Assert.Equal(StatusCode.OK, await CallAsync(epr, "mharights.v1.PatientService/ListPatients"));
        await keys.RevokeApiKeyAsync(new MhaRights.Contracts.V1.RevokeApiKeyRequest { Name = second.ApiKey.Name });
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(epr, "mharights.v1.PatientService/ListPatients"));
    }

    [Fact]
    public async Task HealthCheck_NoCredentials_Serving()
    {
        await using var app = await TestApp.StartAsync();
        using var channel = app.ChannelFor(null);
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private static async Task<StatusCode> CallAsync(GrpcChannel channel, string fullMethod)
    {
        var parts = fullMethod.Split('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], Bytes, Bytes);
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
