using System.Net.Sockets;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// A test that needs a real SQL Server: runs when MHARIGHTS_TEST_SQLSERVER names one (a connection string to a
/// server where the test may create databases) or a Docker engine answers (Testcontainers.MsSql starts one);
/// otherwise it is skipped and the reason is printed in the test results.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "MHARIGHTS_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (SqlServerAvailability.ConnectionString is null && SqlServerAvailability.DockerUnavailableReason is { } reason)
        {
            Skip = $"no Docker engine or SQL Server: {EnvironmentVariable} is not set; {reason}.";
        }
    }
}

internal static class SqlServerAvailability
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private static readonly Lazy<string?> DockerProbe = new(ProbeDocker);

    public static string? ConnectionString => Environment.GetEnvironmentVariable(SqlServerFactAttribute.EnvironmentVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Null when a Docker engine answers; otherwise why not (probed once per test process).</summary>
    public static string? DockerUnavailableReason => DockerProbe.Value;

    /// <summary>
    /// Looks for an engine the way Testcontainers would, but only by connecting to its socket with a short
    /// timeout: asking Testcontainers itself where there is no engine costs its own retries and timeouts.
    /// </summary>
    private static string? ProbeDocker()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host)
        {
            if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
            {
                return $"DOCKER_HOST ({host}) is not a valid address";
            }

            return uri.Scheme switch
            {
                "unix" => Answers(new UnixDomainSocketEndPoint(uri.AbsolutePath)) ? null : $"nothing answers on DOCKER_HOST ({host})",
                "tcp" or "http" or "https" => Answers(new System.Net.DnsEndPoint(uri.Host, uri.Port > 0 ? uri.Port : 2375)) ? null : $"nothing answers on DOCKER_HOST ({host})",
                // npipe, ssh: cannot be probed cheaply here; let Testcontainers try.
                _ => null,
            };
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var candidates = new List<string> { "/var/run/docker.sock" };
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            candidates.Add(Path.Combine(runtime, "docker.sock"));
        }

        if (home.Length > 0)
        {
            candidates.Add(Path.Combine(home, ".docker", "run", "docker.sock"));
            candidates.Add(Path.Combine(home, ".docker", "desktop", "docker.sock"));
        }

        var seen = new List<string>();
        foreach (var socket in candidates)
        {
            if (!File.Exists(socket))
            {
                seen.Add($"{socket}: missing");
                continue;
            }

            if (Answers(new UnixDomainSocketEndPoint(socket)))
            {
                return null;
            }

            seen.Add($"{socket}: no answer");
        }

        return $"DOCKER_HOST is not set and no Docker socket answers ({string.Join("; ", seen)})";
    }

    private static bool Answers(System.Net.EndPoint endpoint)
    {
        var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        var family = endpoint is UnixDomainSocketEndPoint ? AddressFamily.Unix : AddressFamily.Unspecified;
        try
        {
            using var socket = family == AddressFamily.Unix
                ? new Socket(AddressFamily.Unix, SocketType.Stream, protocol)
                : new Socket(SocketType.Stream, protocol);
            using var timeout = new CancellationTokenSource(ProbeTimeout);
            socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
