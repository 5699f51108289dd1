namespace MhaRights.Server.Persistence;

/// <summary>
/// Completes a task each time a unit of work commits in this process, so readers of newly committed rows (the
/// change stream) wake at once instead of waiting for their next poll. Writes by other instances are not seen
/// here; those readers keep a poll as well.
/// </summary>
public sealed class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next commit. Take it before reading, so a commit between the read and the wait is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Committed() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
