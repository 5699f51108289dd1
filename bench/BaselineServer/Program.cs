using System.Net;
using MhaRights.Bench.BaselineServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Baseline server for bench/run.sh. Usage:
//   MhaRights.Bench.BaselineServer --url http://127.0.0.1:5101 --db bench/out/run/baseline.db [--synchronous FULL]
//   MhaRights.Bench.BaselineServer --url http://127.0.0.1:5101 --postgres "Host=127.0.0.1;Port=...;Database=..."
// Loopback only: it carries no patient data, but neither should a benchmark open a port to the network.
var options = BaselineOptions.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
    // Same endpoint shape as src/Server/Hosting/KestrelSetup.cs: cleartext HTTP/2 with prior knowledge.
    kestrel.Listen(options.Address, options.Port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc(o => o.EnableDetailedErrors = false);
builder.Services.AddSingleton<IRowWriter>(options.Postgres is { } postgres
    ? new PostgresRowWriter(postgres)
    : new SerialSqliteWriter(options.Database, options.Synchronous));

var app = builder.Build();
app.MapGrpcService<BaselineApi>();
var writer = app.Services.GetRequiredService<IRowWriter>();
writer.Open();
Console.WriteLine($"Baseline server listening on http://{options.Address}:{options.Port} ({writer.Describe})");
await app.RunAsync();

/// <summary>Command line of the baseline server.</summary>
internal sealed record BaselineOptions(IPAddress Address, int Port, string Database, string Synchronous, string? Postgres)
{
    public static BaselineOptions Parse(string[] args)
    {
        var url = new Uri(Value(args, "--url") ?? "http://127.0.0.1:5101");
        var address = url.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(url.Host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new InvalidOperationException("The baseline server listens on loopback only.");
        }

        return new BaselineOptions(address, url.Port, Value(args, "--db") ?? "baseline.db", Value(args, "--synchronous") ?? "FULL", Value(args, "--postgres"));
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
