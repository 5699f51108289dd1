namespace MhaRights.Server.Api;

/// <summary>
/// Services whose contract is published but whose behaviour arrives with later work: every method answers
/// UNIMPLEMENTED (the generated base class's default). Mapped so reflection lists the whole v1 API.
/// </summary>
internal static class UnimplementedApis
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // Every v1 service is implemented now; ReportService moved to Reporting/ReportingSetup.MapReporting.
        _ = app;
    }
}
