using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Api;
using MhaRights.Server.Rights;

namespace MhaRights.Server.Adjustments;

/// <summary>Registers the reasonable-adjustments feature (services and the gRPC endpoint).</summary>
public static class AdjustmentsSetup
{
    public static IServiceCollection AddAdjustments(this IServiceCollection services)
    {
        // Loaded eagerly so a broken data file stops the server at start-up, not at the first request.
        services.AddSingleton(AdjustmentCodeTables.LoadEmbedded());
        services.AddSingleton(sp => AdjustmentPolicy.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<AdjustmentFhirExporter>();
        services.AddSingleton<AdjustmentApiMapping>();
        services.AddScoped<AdjustmentLifecycle>();

        // Replaces the rights feature's default (TryAddScoped) so briefings and attempts see recorded needs.
        services.AddScoped<ICommunicationNeeds, AdjustmentCommunicationNeeds>();
        services.AddSingleton<AdjustmentReviewSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AdjustmentReviewSweeper>());
        return services;
    }

    public static IEndpointRouteBuilder MapAdjustments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<AdjustmentApi>();
        return endpoints;
    }
}
