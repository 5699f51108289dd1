using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Faults;

/// <summary>
/// The real server as a separate OS process on a loopback port (so it can be killed with SIGKILL), started from
/// the server assembly copied next to the tests.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var port = FreeLoopbackPort();
        var address = $"http://127.0.0.1:{port}";
        var info = StartInfo([$"--Server:Url={address}", $"--Database:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning", .. settings]);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    /// <summary>
    /// The switches that put a server process on the active test provider: none on SQLite (the data folder holds the
    /// file); on PostgreSQL a new database, migrated by the server's own <c>migrate</c> command as an operator would.
    /// </summary>
    public static async Task<string[]> DatabaseSettingsAsync(string dataDirectory)
    {
        if (!TestDatabase.IsPostgreSql)
        {
            return [];
        }

        var settings = TestDatabase.ServerArguments(await TestDatabase.CreatePostgresDatabaseAsync("mharights_process"));
        var info = StartInfo(["migrate", $"--Database:DataDirectory={dataDirectory}", .. settings]);
        using var migrate = Process.Start(info) ?? throw new InvalidOperationException("could not start the migrate command");
        var output = migrate.StandardError.ReadToEndAsync();
        _ = migrate.StandardOutput.ReadToEndAsync();
        await migrate.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"migrate exited with code {migrate.ExitCode}: {await output}");
        }

        return settings;
    }

    /// <summary>SIGKILL: no graceful shutdown, no flush, the way a crash or power cut ends a process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var channel = CreateChannel();
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server process exited with code {_process.ExitCode}");
            }

            try
            {
                var response = await client.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the server did not become healthy in time");
            }

            await Task.Delay(200);
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MhaRights.Server.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
