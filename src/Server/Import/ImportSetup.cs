using MhaRights.Server.Api;

namespace MhaRights.Server.Import;

/// <summary>Registers the bulk import (the batch importer and the gRPC endpoint).</summary>
public static class ImportSetup
{
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddScoped<BatchImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ImportApi>();
        return endpoints;
    }
}
