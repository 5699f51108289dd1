namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// A test that needs a real SQL Server: runs when MHARIGHTS_TEST_SQLSERVER names one (a connection string to a
/// server where the test may create databases) or a Docker engine is reachable (generic Testcontainers with the
/// SQL Server image); otherwise it is skipped and the reason is printed in the test results.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "MHARIGHTS_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (SqlServerAvailability.ConnectionString is null && !SqlServerAvailability.DockerAvailable)
        {
            Skip = $"SQL Server suite skipped: {EnvironmentVariable} is not set and no Docker engine was found (no DOCKER_HOST, no /var/run/docker.sock).";
        }
    }
}

internal static class SqlServerAvailability
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable(SqlServerFactAttribute.EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public static bool DockerAvailable =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}
