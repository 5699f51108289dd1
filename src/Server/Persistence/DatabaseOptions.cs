namespace MhaRights.Server.Persistence;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>"Sqlite" (embedded default), "PostgreSql" or "SqlServer".</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite file (and the bootstrap key). Default: "data" under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Connection string. For SQLite, empty means "{DataDirectory}/mharights.db".</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite <c>PRAGMA synchronous</c>: FULL (default) makes an acknowledged write survive a power loss in WAL
    /// mode; NORMAL is faster but may lose the last transactions on power loss (not on a process crash).
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// SQLite group commit: the most units of work one COMMIT may carry. A batch is committed earlier as soon as
    /// no other write is waiting, so one request at a time still gets its own transaction.
    /// </summary>
    public int GroupCommitMaxUnits { get; set; } = 64;

    /// <summary>SQLite group commit: a batch is committed once it has been open this long, even under steady load
    /// (bounds the latency added by batching and how long another process waits for the write lock).</summary>
    public TimeSpan GroupCommitMaxBatchTime { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// SQLite: the longest a write waits for the database write lock (held by another process, or by this server's
    /// own queue of writes) before it answers UNAVAILABLE (DATABASE_BUSY). Bounds a write's wait to about twice this.
    /// </summary>
    public TimeSpan WriteLockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Apply pending migrations at start (SQLite only; PostgreSQL and SQL Server migrate by the explicit command).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
