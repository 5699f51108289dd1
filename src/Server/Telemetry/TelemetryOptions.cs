namespace MhaRights.Server.Telemetry;

/// <summary>Configuration section "Telemetry" (docs/telemetry.md).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Off by default: nothing is collected or sent unless a trust turns it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// OTLP collector address, e.g. <c>http://127.0.0.1:4317</c>. Empty: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used when set, otherwise nothing is exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> resource attribute (OTEL_SERVICE_NAME wins when set).</summary>
    public string ServiceName { get; set; } = "mharights";

    /// <summary>Spans of EF Core commands (SQL text with literals masked; parameter values are never recorded).</summary>
    public bool EntityFrameworkCore { get; set; } = true;

    /// <summary>How long the overdue-duties gauge reuses its count before querying again.</summary>
    public TimeSpan OverdueGaugeRefresh { get; set; } = TimeSpan.FromSeconds(30);
}
