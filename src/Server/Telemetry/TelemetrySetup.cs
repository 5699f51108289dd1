using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MhaRights.Server.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics, off by default (<c>Telemetry:Enabled</c>). Exported over OTLP to
/// <c>Telemetry:OtlpEndpoint</c>, or to the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; with neither, spans and
/// metrics are only seen by exporters registered elsewhere (tests add an in-memory one). docs/telemetry.md.
/// </summary>
public static class TelemetrySetup
{
    /// <returns>The settings; when enabled, the caller adds <see cref="RpcTelemetryInterceptor"/> first among the gRPC interceptors.</returns>
    public static TelemetryOptions AddMhaRightsTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton(options);
        // Always registered: the write gate and the sweeper record into it, which is free while nobody listens.
        builder.Services.AddSingleton<MhaRightsMetrics>();
        if (!options.Enabled)
        {
            return options;
        }

        builder.Services.AddSingleton<RpcTelemetryInterceptor>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                serviceName: options.ServiceName,
                serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(MhaRightsTelemetry.Name);
                tracing.AddAspNetCoreInstrumentation(o =>
                {
                    // Health probes every few seconds would drown the traces that matter.
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal);
                });
                if (options.EntityFrameworkCore)
                {
                    // Beta package (the only one published). Parameter values stay off (SetDbQueryParameters): they hold
                    // patient data. The SQL text is recorded, but EF parameterises values and literals are masked.
                    tracing.AddEntityFrameworkCoreInstrumentation();
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(MhaRightsTelemetry.Name)
                .AddAspNetCoreInstrumentation());

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            telemetry.UseOtlpExporter(Protocol(options.OtlpProtocol), new Uri(options.OtlpEndpoint, UriKind.Absolute));
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS itself.
            telemetry.UseOtlpExporter();
        }

        return options;
    }

    private static OtlpExportProtocol Protocol(string value) => value.Trim().ToUpperInvariant() switch
    {
        "GRPC" => OtlpExportProtocol.Grpc,
        "HTTP/PROTOBUF" or "HTTP" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException($"Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf', not '{value}'."),
    };
}
