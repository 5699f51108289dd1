using Grpc.Core;
using MhaRights.Bench.Protos;

namespace MhaRights.Bench.BaselineServer;

/// <summary>The two baseline calls. Nothing here authenticates, validates or audits: that is the point.</summary>
internal sealed class BaselineApi(IRowWriter writer) : BaselineService.BaselineServiceBase
{
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });

    public override async Task<InsertRowResponse> InsertRow(InsertRowRequest request, ServerCallContext context) =>
        new() { Id = await writer.InsertAsync(request.PatientId, request.Payload, context.CancellationToken) };
}
