using System.Diagnostics;
using MhaRights.Server.Hosting;

namespace MhaRights.Server.Tests.Security;

/// <summary>A refused configuration ends the process with a message and an exit code, not an abort (issue 15).</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task ServerProcess_CleartextOnNonLoopbackUrl_ExitsWithClearMessageAndConfigurationExitCode()
    {
        var data = Directory.CreateTempSubdirectory("mharights-refuse-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MhaRights.Server.dll"));
        info.ArgumentList.Add("--Server:Url=http://0.0.0.0:0");
        info.ArgumentList.Add($"--Database:DataDirectory={data}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=None");

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ServerApp.ExitConfigurationRefused, process.ExitCode);
        var message = await stderr;
        Assert.Contains("Refusing to serve cleartext HTTP/2 on non-loopback address 0.0.0.0", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", message + await stdout, StringComparison.Ordinal);
    }
}
