using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Changes;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.ChangeService: the change stream (Changes/ChangeStream.cs).</summary>
public sealed class ChangeApi(ChangeStream changes) : ChangeService.ChangeServiceBase
{
    public override Task WatchChanges(WatchChangesRequest request, IServerStreamWriter<WatchChangesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.RunAsync(request, responseStream, context.CancellationToken);
    }
}
