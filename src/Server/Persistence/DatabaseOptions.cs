namespace MhaRights.Server.Persistence;

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>"Sqlite" (embedded default) or "SqlServer".</summary>
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

    /// <summary>Apply pending migrations at start (SQLite only; SQL Server migrates by the explicit command).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
