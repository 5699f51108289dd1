namespace MhaRights.Server.Changes;

/// <summary>Configuration section "Changes": the change stream (WatchChanges).</summary>
public sealed class ChangeOptions
{
    public const string SectionName = "Changes";

    /// <summary>How often a stream re-reads the audit trail when no commit in this process woke it (writes by
    /// other instances). Default 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages a subscriber may fall behind by before it is disconnected with RESOURCE_EXHAUSTED.
    /// Default 1000.</summary>
    public int BufferSize { get; set; } = 1000;

    /// <summary>Audit events read per query. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Heartbeat interval when the request names none. Default 30 seconds.</summary>
    public TimeSpan DefaultHeartbeat { get; set; } = TimeSpan.FromSeconds(30);
}
