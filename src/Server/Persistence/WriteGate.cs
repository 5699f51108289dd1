namespace MhaRights.Server.Persistence;

/// <summary>
/// How write transactions reach the database. SQLite allows one writer at a time; letting concurrent requests
/// collide on its file lock was measured at 55-70% of one serialised writer with stalls over a second, so on
/// SQLite writers queue in <see cref="GroupCommit"/>, which also lets queued units share one COMMIT. On SQL Server
/// there is no gate (the database handles concurrency).
/// </summary>
public sealed class WriteGate(SqliteGroupCommit? groupCommit)
{
    /// <summary>The SQLite writer; null when the database handles concurrent writers itself.</summary>
    public SqliteGroupCommit? GroupCommit { get; } = groupCommit;
}
