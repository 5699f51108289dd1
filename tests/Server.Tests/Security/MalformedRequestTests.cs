using Grpc.Core;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>Bytes that are not the method's protobuf message are the caller's error, not the server's (issue 15).</summary>
public sealed class MalformedRequestTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "mharights.v1.PatientService/CreatePatient", [0x0A, 0xFF] },
        { "mharights.v1.PatientService/GetPatient", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "mharights.v1.RightsService/RecordExplanationAttempt", [0x12, 0x05, 0x08] },
        { "mharights.v1.AuditService/ListAuditEvents", [0x0F] },
        { "mharights.v1.ApiKeyService/CreateApiKey", [0x0A, 0x03, 0x0A, 0x80, 0x80] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Call_GarbageProtobufBytes_InvalidArgumentNotUnknownAndServerHealthy(string fullMethod, byte[] body)
    {
        await using var app = await TestApp.StartAsync();
        var parts = fullMethod.Split('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], Bytes, Bytes);
        using var channel = app.ChannelFor(Roles.Admin);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), body).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("not a valid", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("request", Assert.Single(ex.BadRequest().FieldViolations).Field);
        var health = await new Grpc.Health.V1.Health.HealthClient(app.Channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}
