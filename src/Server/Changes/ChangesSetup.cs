using MhaRights.Server.Api;

namespace MhaRights.Server.Changes;

/// <summary>The change stream (WatchChanges): options, the per-call reader and the gRPC service.</summary>
public static class ChangesSetup
{
    public static IServiceCollection AddChanges(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ChangeOptions.SectionName).Get<ChangeOptions>() ?? new ChangeOptions();
        if (options.BufferSize < 1 || options.BatchSize < 1 || options.PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Changes:BufferSize and Changes:BatchSize must be at least 1 and Changes:PollInterval positive.");
        }

        services.AddSingleton(options);
        services.AddSingleton<ChangeStream>();
        return services;
    }

    public static void MapChanges(this IEndpointRouteBuilder app) => app.MapGrpcService<ChangeApi>();
}
