using System.Diagnostics;
using System.Globalization;

namespace MhaRights.Bench.Load;

/// <summary>Latency distribution of one operation, in milliseconds.</summary>
internal sealed record LatencyStats(long Count, double Mean, double P50, double P90, double P99, double Max)
{
    public static LatencyStats From(List<long> ticks)
    {
        if (ticks.Count == 0)
        {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }

        ticks.Sort();
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        // Nearest-rank percentiles.
        double At(double q) => Ms(ticks[Math.Clamp((int)Math.Ceiling(q * ticks.Count) - 1, 0, ticks.Count - 1)]);
        return new LatencyStats(ticks.Count, Ms((long)ticks.Average()), At(0.50), At(0.90), At(0.99), Ms(ticks[^1]));
    }
}

/// <summary>One load run, as written to JSON for the report.</summary>
internal sealed class LoadResult
{
    public required string Label { get; init; }

    public required string Target { get; init; }

    public required string Op { get; init; }

    public int Concurrency { get; init; }

    public double WarmupSeconds { get; init; }

    public double Seconds { get; init; }

    public long Requests { get; init; }

    public double Throughput { get; init; }

    public required LatencyStats Latency { get; init; }

    public Dictionary<string, LatencyStats> PerOperation { get; init; } = [];

    public Dictionary<string, long> Errors { get; init; } = [];

    /// <summary>CPU seconds used in the window by the server, this client and the rest of the machine.</summary>
    public double ServerCpuSeconds { get; init; }

    /// <summary>The kernel's share of <see cref="ServerCpuSeconds"/> (system time: syscalls, page cache, fsync).</summary>
    public double ServerSystemCpuSeconds { get; init; }

    public double ClientCpuSeconds { get; init; }

    public double OtherCpuSeconds { get; init; }

    public double MachineCpuSeconds { get; init; }

    public double ServerCpuMicrosPerRequest { get; init; }

    public double ClientCpuMicrosPerRequest { get; init; }

    public double ServerMaxRssMb { get; init; }

    public double ServerHighWaterMb { get; init; }

    public string LoadAverageBefore { get; init; } = string.Empty;

    public string LoadAverageAfter { get; init; } = string.Empty;

    public Dictionary<string, long> Notes { get; init; } = [];

    public DateTime FinishedUtc { get; init; }

    public static LoadResult From(LoadOptions options, Worker[] workers, Window window, Snapshot before, Snapshot after, RssSampler? rss, Dictionary<string, long> notes)
    {
        var seconds = window.Length.TotalSeconds;
        var all = workers.SelectMany(w => w.Samples).ToList();
        var requests = all.Count;
        var server = (after.ServerTicks - before.ServerTicks) / Snapshot.TicksPerSecond;
        var client = (after.ClientCpu - before.ClientCpu).TotalSeconds;
        var machine = (after.MachineBusyTicks - before.MachineBusyTicks) / Snapshot.TicksPerSecond;
        return new LoadResult
        {
            Label = options.Label,
            Target = options.Target,
            Op = options.Op,
            Concurrency = options.Concurrency,
            WarmupSeconds = options.Warmup.TotalSeconds,
            Seconds = seconds,
            Requests = requests,
            Throughput = requests / seconds,
            Latency = LatencyStats.From(all.Select(s => s.Ticks).ToList()),
            PerOperation = all.GroupBy(s => s.Op).ToDictionary(g => g.Key, g => LatencyStats.From(g.Select(s => s.Ticks).ToList())),
            Errors = workers.SelectMany(w => w.Errors).GroupBy(e => e).ToDictionary(g => g.Key, g => (long)g.Count()),
            ServerCpuSeconds = server,
            ServerSystemCpuSeconds = (after.ServerSystemTicks - before.ServerSystemTicks) / Snapshot.TicksPerSecond,
            ClientCpuSeconds = client,
            MachineCpuSeconds = machine,
            OtherCpuSeconds = Math.Max(0, machine - server - client),
            ServerCpuMicrosPerRequest = requests == 0 ? 0 : server * 1e6 / requests,
            ClientCpuMicrosPerRequest = requests == 0 ? 0 : client * 1e6 / requests,
            ServerMaxRssMb = (rss?.MaxRssKb ?? 0) / 1024.0,
            ServerHighWaterMb = (rss?.HighWaterKb ?? 0) / 1024.0,
            LoadAverageBefore = before.LoadAverage,
            LoadAverageAfter = after.LoadAverage,
            Notes = notes,
            FinishedUtc = DateTime.UtcNow,
        };
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"  {Requests:N0} requests in {Seconds:F1} s = {Throughput:N0}/s; latency ms p50 {Latency.P50:F2} p90 {Latency.P90:F2} p99 {Latency.P99:F2} max {Latency.Max:F1}; " +
        $"CPU s server {ServerCpuSeconds:F1} (kernel {ServerSystemCpuSeconds:F1}) client {ClientCpuSeconds:F1} other {OtherCpuSeconds:F1}; server RSS max {ServerMaxRssMb:F0} MB; errors {Errors.Values.Sum()}");
}
