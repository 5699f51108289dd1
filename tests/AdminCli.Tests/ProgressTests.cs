using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.AdminCli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MhaRights.AdminCli.Tests;

/// <summary>
/// The import's progress bar: the decision (only for a person at a terminal), the rendering through injected
/// terminal capabilities, and one real run in a pseudo-terminal against a server process.
/// </summary>
public sealed class ProgressTests(ITestOutputHelper output)
{

    [Theory]
    [InlineData(true, true, false, null, null, null, true)]
    [InlineData(true, false, false, null, null, null, false)] // stdout redirected: a job log
    [InlineData(false, true, false, null, null, null, false)] // stderr redirected
    [InlineData(true, true, true, null, null, null, false)] // --no-progress
    [InlineData(true, true, false, "1", null, null, false)] // NO_COLOR
    [InlineData(true, true, false, null, "true", null, false)] // CI
    [InlineData(true, true, false, null, "false", null, true)] // CI=false is not CI
    [InlineData(true, true, false, null, null, "dumb", false)] // TERM=dumb
    [InlineData(true, true, false, "", null, null, true)] // empty NO_COLOR counts as unset
    public void ShouldShow_TerminalAndEnvironment_OnlyForAPersonWatching(bool stderrTty, bool stdoutTty, bool noProgress, string? noColor, string? ci, string? term, bool expected)
    {
        var env = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["CI"] = ci, ["TERM"] = term };

        var show = ProgressPolicy.ShouldShow(new TerminalCapabilities(true, stdoutTty, stderrTty), new CliEnvironment(env), noProgress);

        Assert.Equal(expected, show);
    }

    [Fact]
    public async Task Import_InATerminal_DrawsTheBarOnStderrAndKeepsStdoutClean()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = WriteFile(cli.Home, "tty.csv", 40, cli.App.Clock.GetUtcNow().AddDays(-2));

        var result = await cli.RunWithAsync(cli.Environment(), TerminalCapabilities.Interactive, "import", path, "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Importing tty.csv (40 rows)", result.Stderr);
        Assert.Contains("100%", result.Stderr);
        Assert.Contains("\u001b[", result.Stderr);
        Assert.Equal(40, result.Json()["patientsCreated"]!.GetValue<int>());
        Assert.False(result.Stdout.Contains('\u001b', StringComparison.Ordinal), result.ToString());
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "--no-progress")]
    public async Task Import_StdoutRedirectedOrNoProgress_PrintsNoBar(bool stdoutTty, string? flag)
    {
        await using var cli = await CliHarness.StartAsync();
        var path = WriteFile(cli.Home, "quiet.csv", 20, cli.App.Clock.GetUtcNow().AddDays(-2));
        string[] args = flag is null ? ["import", path] : ["import", path, flag];

        var result = await cli.RunWithAsync(cli.Environment(), new TerminalCapabilities(true, stdoutTty, true, 120), args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Importing", result.Stderr);
        Assert.DoesNotContain("\u001b[", result.Stderr);
        Assert.Contains("20 rows, 0 rejected", result.Stdout);
    }

    [Fact]
    public async Task ImportSample_DryRunThenImport_SampleFileIsValid()
    {
        await using var cli = await CliHarness.StartAsync(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "import-sample.csv");

        var dry = await cli.RunAsync("import", sample, "--dry-run", "-o", "json");
        var real = await cli.RunAsync("import", sample, "-o", "json");
        var again = await cli.RunAsync("import", sample, "-o", "json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(4, dry.Json()["patientsCreated"]!.GetValue<int>());
        Assert.True(real.ExitCode == 0, real.ToString());
        Assert.Equal(5, real.Json()["episodesStarted"]!.GetValue<int>());
        Assert.Equal(2, real.Json()["episodesEnded"]!.GetValue<int>());
        Assert.Equal(5, real.Json()["attemptsRecorded"]!.GetValue<int>());
        Assert.Equal(0, again.Json()["attemptsRecorded"]!.GetValue<int>());
        Assert.Equal(5, again.Json()["attemptsExisting"]!.GetValue<int>());
    }

    /// <summary>
    /// The real thing: the built CLI in a pseudo-terminal made by util-linux <c>script</c>, against the built server
    /// as its own process on a loopback port. In the terminal the bar is drawn; with stdout redirected (inside the
    /// same terminal) it is not, and the JSON file is clean.
    /// </summary>
    [Fact]
    public async Task Import_RealPseudoTerminal_BarOnlyWhenStdoutIsTheTerminal()
    {
        var script = FindOnPath("script");
        if (script is null || OperatingSystem.IsWindows())
        {
            output.WriteLine("util-linux 'script' is not installed: the pseudo-terminal run was skipped.");
            return;
        }

        var (serverDll, cliDll) = BuiltBinaries();
        var data = Directory.CreateTempSubdirectory("mharights-pty-").FullName;
        var port = FreePort();
        var address = $"http://127.0.0.1:{port}";
        using var server = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { serverDll, $"--Server:Url={address}", $"--Database:DataDirectory={data}", "--Sweeper:Enabled=false", "--Logging:LogLevel:Default=Warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var adminKeyFile = Path.Combine(data, "bootstrap-admin.key");
            var officeKey = await WaitForServerAndCreateKeyAsync(cliDll, address, adminKeyFile);
            var now = DateTimeOffset.UtcNow.AddDays(-1);
            var inTerminal = WriteFile(data, "pty.csv", 300, now, prefix: "PTY");
            var redirected = WriteFile(data, "redirected.csv", 300, now, prefix: "RED");
            var json = Path.Combine(data, "result.json");

            var stopwatch = Stopwatch.StartNew();
            var (code1, screen1) = await RunInPtyAsync(script, $"dotnet {cliDll} import {inTerminal}", address, officeKey, data);
            var (code2, screen2) = await RunInPtyAsync(script, $"dotnet {cliDll} import {redirected} -o json > {json}", address, officeKey, data);
            output.WriteLine($"two 300-row imports in a pty took {stopwatch.Elapsed.TotalSeconds:F1} s");

            Assert.True(code1 == 0, screen1);
            Assert.Contains("Importing pty.csv (300 rows)", screen1);
            Assert.Contains("100%", screen1);
            Assert.Contains("\u001b[", screen1);
            Assert.True(code2 == 0, screen2);
            Assert.DoesNotContain("Importing", screen2);
            var result = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.Equal(300, result["patientsCreated"]!.GetValue<int>());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    private static async Task<string> WaitForServerAndCreateKeyAsync(string cliDll, string address, string adminKeyFile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (File.Exists(adminKeyFile))
            {
                var (code, stdout, stderr) = await RunCliAsync(cliDll, address, ["--api-key-file", adminKeyFile, "keys", "create", "--name", "pty test", "--role", "mha-office", "--trust-wide"]);
                if (code == 0)
                {
                    return stdout.Trim();
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the server did not answer: exit {code} {stderr}");
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the server did not write its bootstrap key");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string cliDll, string address, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MHARIGHTS_ADDRESS"] = address;
        start.Environment["MHARIGHTS_MAX_RETRIES"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a shell command in a new pseudo-terminal and returns its exit code and everything the terminal showed.</summary>
    private static async Task<(int Code, string Screen)> RunInPtyAsync(string script, string command, string address, string key, string directory)
    {
        var typescript = Path.Combine(directory, $"typescript-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-q", "-e", "-c", command, typescript })
        {
            start.ArgumentList.Add(arg);
        }

        // A person's terminal: CI runs these tests with CI=true, which must not leak into the "person's" shell.
        start.Environment.Remove("CI");
        start.Environment.Remove("NO_COLOR");
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["MHARIGHTS_ADDRESS"] = address;
        start.Environment["MHARIGHTS_API_KEY"] = key;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var drain = process.StandardOutput.ReadToEndAsync();
        var drainErrors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await drain;
        await drainErrors;
        return (process.ExitCode, File.Exists(typescript) ? await File.ReadAllTextAsync(typescript) : string.Empty);
    }

    private static (string ServerDll, string CliDll) BuiltBinaries()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MhaRights.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        // The same configuration and framework as this test assembly (bin/<Configuration>/<tfm>/).
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var server = Path.Combine(directory.FullName, "src", "Server", "bin", configuration, tfm, "MhaRights.Server.dll");
        var cli = Path.Combine(directory.FullName, "src", "AdminCli", "bin", configuration, tfm, "mharights.dll");
        Assert.True(File.Exists(server), server);
        Assert.True(File.Exists(cli), cli);
        return (server, cli);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string WriteFile(string directory, string name, int rows, DateTimeOffset start, string prefix = "PRG")
    {
        var path = Path.Combine(directory, name);
        var text = new StringBuilder("local_id,given_name,family_name,provision,hospital,ward,start_time\n");
        var when = start.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
        var tag = Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{prefix}-{tag}-{i:D5},Pat,Test{i},s2,RXM01,ASH,{when}\n");
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

}
