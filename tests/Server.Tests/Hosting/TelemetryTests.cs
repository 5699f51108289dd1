using System.Diagnostics;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Telemetry;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MhaRights.Server.Tests.Hosting;

/// <summary>
/// With Telemetry:Enabled the real server exports spans (ASP.NET Core with rpc.* attributes, EF Core, the unit of
/// work and the sweeper) and the MhaRights metrics; an in-memory exporter stands in for the OTLP collector. Other
/// tests' servers in the same process may add spans of their own, so these tests look for theirs and never count.
/// </summary>
public sealed class TelemetryTests
{
    /// <remarks>One server for spans and metrics: every TracerProvider in the process sees every server's spans.</remarks>
    [Fact]
    public async Task Rpcs_TelemetryEnabled_ExportSpansAndMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var app = await TestApp.StartConfiguredAsync(
            b =>
            {
                b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
                b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
            },
            "--Telemetry:Enabled=true");

        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        await app.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = patient.Name });
        await app.AdvanceAndSweepAsync(TimeSpan.FromDays(2));

        await AssertSpansAsync(spans);
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        AssertMetrics(metrics);
    }

    private static async Task AssertSpansAsync(List<Activity> spans)
    {
        // The server span ends just after the response is sent: wait for it rather than race it.
        var rpc = await WaitForAsync(spans, s => s.GetTagItem("rpc.method") as string == "GetRightsStatus");
        Assert.Equal("grpc", rpc.GetTagItem("rpc.system"));
        Assert.Equal("mharights.v1.RightsService", rpc.GetTagItem("rpc.service"));
        Assert.Equal(0, rpc.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(ActivityKind.Server, rpc.Kind);
        Assert.Equal("/mharights.v1.RightsService/GetRightsStatus", rpc.GetTagItem("http.route"));

        // From the request down: the unit-of-work source is process-wide, so other tests' servers (telemetry off, no
        // rpc.* tags on their requests) add StartEpisode units of their own to this exporter.
        var request = await WaitForAsync(spans, s => s.GetTagItem("rpc.method") as string == "StartEpisode");
        var unit = await WaitForAsync(spans, s => s.OperationName == MhaRightsTelemetry.UnitOfWorkSpan && s.ParentSpanId == request.SpanId);
        Assert.Equal("StartEpisode", unit.GetTagItem("mharights.operation"));
        var command = await WaitForAsync(spans, s => s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal) && s.ParentSpanId == unit.SpanId);
        Assert.Equal(TestDatabase.IsPostgreSql ? "postgresql" : "sqlite", command.GetTagItem("db.system"));

        var sweep = await WaitForAsync(spans, s => s.OperationName == MhaRightsTelemetry.SweepSpan && s.GetTagItem("mharights.sweep.overdue") is int overdue && overdue > 0);
        Assert.Equal(MhaRightsTelemetry.Name, sweep.Source.Name);
    }

    private static void AssertMetrics(List<MetricSnapshot> metrics)
    {
        var byName = metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.SelectMany(m => m.MetricPoints).ToList());
        Assert.Contains(byName["rpc.server.call.duration"], p => Tag(p, "rpc.method") as string == "CreatePatient" && Tag(p, "rpc.service") as string == "mharights.v1.PatientService" && Tag(p, "rpc.grpc.status_code") is 0);
        Assert.Contains(byName["http.server.request.duration"], p => Tag(p, "http.route") as string == "/mharights.v1.PatientService/CreatePatient");
        Assert.Contains(byName["mharights.sweeper.runs"], p => Tag(p, "outcome") as string == "success" && p.GetSumLong() >= 1);
        Assert.Contains(byName["mharights.sweeper.changes"], p => Tag(p, "mharights.change.kind") as string == "overdue" && p.GetSumLong() >= 1);
        Assert.Contains(byName["mharights.duties.overdue"], p => Tag(p, "mharights.duty.kind") as string == "Section132_1" && p.GetGaugeLastValueLong() == 1);
        if (!TestDatabase.IsPostgreSql)
        {
            // SQLite only: server databases have no write gate.
            Assert.Contains(byName["mharights.write_gate.wait_time"], p => p.GetHistogramCount() >= 3);
            Assert.Contains(byName["mharights.group_commit.batch_size"], p => p.GetHistogramCount() >= 1 && p.GetHistogramSum() >= 1);
        }
    }

    [Fact]
    public void CreateBuilder_TelemetryOff_RegistersNoTracerOrMeterProvider()
    {
        var builder = ServerApp.CreateBuilder(["--Server:Url="], contentRoot: AppContext.BaseDirectory);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
        Assert.False(provider.GetRequiredService<TelemetryOptions>().Enabled);
    }

    [Fact]
    public void CreateBuilder_UnknownOtlpProtocol_RefusesToStart() =>
        Assert.Throws<InvalidOperationException>(() => ServerApp.CreateBuilder(
            ["--Server:Url=", "--Telemetry:Enabled=true", "--Telemetry:OtlpEndpoint=http://127.0.0.1:4317", "--Telemetry:OtlpProtocol=udp"],
            contentRoot: AppContext.BaseDirectory));

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    private static async Task<Activity> WaitForAsync(List<Activity> spans, Func<Activity, bool> match)
    {
        for (var i = 0; i < 100; i++)
        {
            // The exporter appends on other threads: look at a copy (a slot being written may still be null).
            if (spans.ToArray().FirstOrDefault(s => s is not null && match(s)) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"No matching span among: {string.Join("; ", spans.ToArray().Where(s => s is not null).Select(s => s.Source.Name + "/" + s.OperationName + " " + string.Join(",", s.TagObjects.Select(t => t.Key + "=" + t.Value))).Distinct())}");
    }
}
