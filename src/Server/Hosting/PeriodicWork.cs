namespace MhaRights.Server.Hosting;

/// <summary>
/// The loop shared by the server's background sweeps: one pass at start, then one per tick of the injected clock,
/// until the host stops. A pass that fails for a reason the next pass can overcome (a busy database, another instance
/// first) is reported and left to the next tick rather than stopping the service.
/// </summary>
internal static class PeriodicWork
{
    public static async Task RunAsync(
        TimeProvider time,
        TimeSpan interval,
        Func<CancellationToken, Task> pass,
        Func<Exception, bool> retryLater,
        Action<Exception> reportRetry,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception ex) when (retryLater(ex))
            {
                reportRetry(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
