using MhaRights.Server.Adjustments;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Changes;
using MhaRights.Server.Import;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Rights;
using MhaRights.Server.Security;
using MhaRights.Server.Telemetry;

namespace MhaRights.Server.Hosting;

/// <summary>
/// Composition root. Program.cs and the in-process tests build the same application through here, so tests run
/// the real gRPC stack.
/// </summary>
public static class ServerApp
{
    /// <summary>Process exit code when the configuration is refused at start (e.g. cleartext on a public address).</summary>
    public const int ExitConfigurationRefused = 2;

    /// <param name="contentRoot">
    /// Where appsettings.json is read from. Program passes the application's own folder, so the server started from
    /// any working directory (e.g. <c>dotnet run --project src/Server</c> from the repository root) still gets its
    /// production settings and log levels; null keeps ASP.NET Core's default, the working directory (tests).
    /// </param>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<WebApplicationBuilder>? configure = null, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });
        var serverOptions = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(serverOptions);
        builder.WebHost.ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, serverOptions));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICallerContext, HttpCallerContext>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditChain>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new AuditOptions());
        builder.Services.AddSingleton(sp => AuditChainKey.Load(sp.GetRequiredService<AuditOptions>(), sp.GetRequiredService<DatabaseOptions>()));
        builder.Services.AddSingleton<AuditCheckpoints>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpoints>());
        builder.Services.AddMhaRightsPersistence(builder.Configuration);
        builder.Services.AddSingleton(builder.Configuration.GetSection(IdempotencyOptions.SectionName).Get<IdempotencyOptions>() ?? new IdempotencyOptions());
        builder.Services.AddSingleton<IdempotencyRetention>();
        builder.Services.AddSingleton<WriteHealth>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdempotencyRetention>());
        builder.Services.AddMhaRightsSecurity(builder.Configuration);
        builder.Services.AddPatients();
        builder.Services.AddLegalStatus();
        builder.Services.AddRights(builder.Configuration);
        builder.Services.AddAdjustments();
        builder.Services.AddReporting();
        builder.Services.AddImport();
        builder.Services.AddChanges(builder.Configuration);
        var telemetry = builder.AddMhaRightsTelemetry();

        builder.Services.AddSingleton<ErrorMappingInterceptor>();
        builder.Services.AddGrpc(o =>
        {
            // Order matters: telemetry sees the status the caller gets; error mapping wraps access control, which
            // runs before any handler.
            if (telemetry.Enabled)
            {
                o.Interceptors.Add<RpcTelemetryInterceptor>();
            }

            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.Interceptors.Add<AccessInterceptor>();
            o.Interceptors.Add<ScopeInterceptor>();
            o.MaxReceiveMessageSize = serverOptions.MaxReceiveMessageSize;
            o.EnableDetailedErrors = false;
        }).AddHttpApi();
        // Undecodable request bytes answer INVALID_ARGUMENT, not UNKNOWN (StrictRequestMethodProvider).
        StrictRequestMethodProvider<object>.Replace(builder.Services);
        builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        if (serverOptions.EnableReflection)
        {
            builder.Services.AddGrpcReflection();
        }

        // After AddMhaRightsSecurity: it replaces what AddAuthentication registered for Data Protection.
        builder.ConfigureMhaRightsLogging();
        configure?.Invoke(builder);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        // Build the providers now rather than when the host starts, so migration and start-up work are traced too
        // (and EF Core, which caches "nobody listens" per context for a moment, sees the listener from the start).
        app.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        app.UseAuthentication();
        app.MapHttpApiDocs();
        app.MapGrpcService<PatientApi>();
        app.MapGrpcService<LegalStatusApi>();
        app.MapGrpcService<RightsApi>();
        app.MapGrpcService<AuditApi>();
        app.MapGrpcService<WorkflowApi>();
        app.MapGrpcService<ApiKeyApi>();
        app.MapAdjustments();
        app.MapReporting();
        app.MapImport();
        app.MapChanges();
        UnimplementedApis.Map(app);
        app.MapGrpcHealthChecksService();
        if (app.Services.GetRequiredService<ServerOptions>().EnableReflection)
        {
            app.MapGrpcReflectionService();
        }

        return app;
    }

    /// <summary>What the run command does before serving: migrate the embedded database, then make sure an
    /// administrator can get in (bootstrap key on first run).</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.InitializeDatabaseAsync(cancellationToken);
        await app.Services.EnsureBootstrapAdminKeyAsync(cancellationToken);
    }
}
