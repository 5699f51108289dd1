using MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>
/// Services whose contract is published but whose behaviour arrives with later work: every method answers
/// UNIMPLEMENTED (the generated base class's default). Mapped so reflection lists the whole v1 API.
/// </summary>
internal static class UnimplementedApis
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGrpcService<ReportApi>();
        app.MapGrpcService<AdjustmentApi>();
    }

    private sealed class ReportApi : ReportService.ReportServiceBase;

    private sealed class AdjustmentApi : AdjustmentService.AdjustmentServiceBase;
}
