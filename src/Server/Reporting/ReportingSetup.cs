using MhaRights.Server.Api;

namespace MhaRights.Server.Reporting;

/// <summary>Registers compliance reporting (services and the gRPC endpoint).</summary>
public static class ReportingSetup
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddScoped<ComplianceReportService>();
        services.AddSingleton(sp => ReportTargets.From(sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    public static IEndpointRouteBuilder MapReporting(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ReportApi>();
        return endpoints;
    }
}
