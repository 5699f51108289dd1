using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Readiness: the database answers a trivial query, and writes are not failing for a reason a retry will not fix
/// (read-only, full, I/O error: WriteHealth). A server that can read but not write reports NOT_SERVING, so a load
/// balancer sends writes elsewhere and operations see why.
/// </summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, WriteHealth writes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (writes.Problem is { } problem)
        {
            return HealthCheckResult.Unhealthy("Writes are failing: " + problem);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database check failed.", ex);
        }
    }
}
