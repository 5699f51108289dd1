using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using MhaRights.Client;

namespace MhaRights.Bench.Load;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send one request, wait for the answer, and send the next, for
/// <c>warmup</c> seconds (not recorded) and then <c>duration</c> seconds (recorded). Throughput and latency percentiles
/// are over the requests that started and finished inside the recorded window. During that window it also samples
/// the server's RSS (/proc/&lt;pid&gt;/status) and the CPU used by the server, by this client and by everything else on
/// the machine (/proc/stat), because client and server share the machine's two cores. Any failed request is
/// counted and makes the process exit with 1.
/// </summary>
internal static class LoadDriver
{
    public static async Task<int> RunAsync(Args args)
    {
        var options = LoadOptions.Parse(args);
        Console.WriteLine($"[{options.Label}] {options.Target}/{options.Op} c={options.Concurrency} warm-up {options.Warmup.TotalSeconds:F0} s, measure {options.Duration.TotalSeconds:F0} s");
        using var channel = options.Target == "baseline" ? CreateBaselineChannel(options.Address) : null;
        using var client = options.Target == "service" ? CreateServiceClient(options) : null;
        var workload = options.WorkloadPath is null ? null : Workload.Read(options.WorkloadPath);
        var factory = new OperationFactory(options, workload, client, channel);

        var workers = Enumerable.Range(0, options.Concurrency).Select(factory.Create).ToArray();
        var stop = new CancellationTokenSource();
        var window = new Window();
        var tasks = workers.Select(w => Task.Run(() => WorkerAsync(w, window, stop.Token))).ToArray();

        await Task.Delay(options.Warmup);
        var before = Snapshot.Take(options.ServerPid);
        var rss = options.ServerPid is { } pid ? new RssSampler(pid) : null;
        window.Open();
        await Task.Delay(options.Duration);
        window.Close();
        var after = Snapshot.Take(options.ServerPid);
        rss?.Dispose();
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        factory.Complete();

        var result = LoadResult.From(options, workers, window, before, after, rss, factory.Notes);
        Console.WriteLine(result.Summary());
        foreach (var (error, count) in result.Errors)
        {
            Console.Error.WriteLine($"  ERROR x{count}: {error}");
        }

        if (options.OutPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutPath))!);
            await File.WriteAllTextAsync(options.OutPath, JsonSerializer.Serialize(result, JsonOptions.Indented));
        }

        return result.Errors.Count == 0 && result.Requests > 0 ? 0 : 1;
    }

    private static async Task WorkerAsync(Worker worker, Window window, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            string op;
            try
            {
                op = await worker.Operation.ExecuteAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                worker.Errors.Add(ErrorKey(ex));
                continue;
            }

            var end = Stopwatch.GetTimestamp();
            if (window.Contains(start, end))
            {
                worker.Record(op, end - start);
            }
        }
    }

    private static string ErrorKey(Exception ex) =>
        ex is MhaRightsException m ? $"{m.StatusCode} {m.Reason}: {m.Message}" : $"{ex.GetType().Name}: {ex.Message}";

    private static MhaRightsClient CreateServiceClient(LoadOptions options)
    {
        var key = File.ReadAllText(options.KeyFile ?? throw new ArgumentException("--key-file is required for the service.")).Trim();
        var sdk = new MhaRightsClientOptions
        {
            Address = new Uri(options.Address),
            Credential = MhaRightsCredential.FromApiKey(key),
            DefaultDeadline = TimeSpan.FromSeconds(30),
        };
        // A benchmark must see every failure: no retries.
        sdk.Retry.MaxRetries = 0;
        return new MhaRightsClient(sdk);
    }

    /// <summary>The same handler settings as the SDK's default, so the baselines pay the same client transport.</summary>
    private static GrpcChannel CreateBaselineChannel(string address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                EnableMultipleHttp2Connections = true,
            },
        });
}

/// <summary>Command-line options of <c>load</c>.</summary>
internal sealed record LoadOptions(
    string Label, string Target, string Address, string Op, int Concurrency, TimeSpan Warmup, TimeSpan Duration,
    string? WorkloadPath, string? KeyFile, int? ServerPid, string? OutPath, string? StatePath, int Seed)
{
    public static LoadOptions Parse(Args args)
    {
        var target = args.Get("target") ?? "service";
        var op = args.Require("op");
        return new LoadOptions(
            args.Get("label") ?? $"{target}-{op}",
            target,
            args.Require("address"),
            op,
            args.Int("concurrency", 16),
            TimeSpan.FromSeconds(args.Double("warmup", 3)),
            TimeSpan.FromSeconds(args.Double("duration", 10)),
            args.Get("workload"),
            args.Get("key-file"),
            args.Get("server-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            args.Get("out"),
            args.Get("state"),
            args.Int("seed", 1));
    }
}

/// <summary>The recorded interval, in Stopwatch ticks.</summary>
internal sealed class Window
{
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;

    public TimeSpan Length => Stopwatch.GetElapsedTime(_start, _end);

    public void Open() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Close() => Volatile.Write(ref _end, Stopwatch.GetTimestamp());

    public bool Contains(long start, long end) => start >= Volatile.Read(ref _start) && end <= Volatile.Read(ref _end);
}

/// <summary>One closed-loop worker: its operation and what it measured.</summary>
internal sealed class Worker(IOperation operation)
{
    public IOperation Operation { get; } = operation;

    public List<(string Op, long Ticks)> Samples { get; } = new(64 * 1024);

    public List<string> Errors { get; } = [];

    public void Record(string op, long ticks) => Samples.Add((op, ticks));
}

/// <summary>CPU counters of the machine, this process and the server at one moment.</summary>
internal sealed record Snapshot(long MachineBusyTicks, long MachineTotalTicks, long ServerTicks, long ServerSystemTicks, TimeSpan ClientCpu, string LoadAverage)
{
    /// <summary>Linux USER_HZ; /proc reports CPU in these units.</summary>
    public const double TicksPerSecond = 100;

    public static Snapshot Take(int? serverPid)
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        var total = cpu.Take(8).Sum();
        var busy = total - cpu[3] - cpu[4];
        long server = 0, system = 0;
        if (serverPid is { } pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 (utime, stime) of proc(5); after the ")" the list starts at field 3.
            system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            server = long.Parse(fields[11], CultureInfo.InvariantCulture) + system;
        }

        return new Snapshot(busy, total, server, system, Process.GetCurrentProcess().TotalProcessorTime, File.ReadAllText("/proc/loadavg").Trim());
    }
}

/// <summary>Samples the server's resident memory every 100 ms while the recorded window is open.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly int _pid;
    private readonly Timer _timer;

    public RssSampler(int pid)
    {
        _pid = pid;
        Sample();
        _timer = new Timer(_ => Sample(), null, 100, 100);
    }

    public long MaxRssKb { get; private set; }

    public long HighWaterKb { get; private set; }

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }

    private void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    MaxRssKb = Math.Max(MaxRssKb, Kb(line));
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    HighWaterKb = Kb(line);
                }
            }
        }
        catch (IOException)
        {
            // The server went away; the load itself will report the errors.
        }
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
