using Microsoft.Data.Sqlite;

namespace MhaRights.Server.Security;

/// <summary>
/// The data folder holds the database, the audit chain key, the checkpoint log and the bootstrap key: on Unix it is
/// created 0700 and every file in it 0600, so another local account can read none of it. SQLite creates the
/// -wal and -shm files with the mode of the database file, so creating that file 0600 before SQLite first opens it
/// (and tightening an existing one) covers the files it creates later too.
/// </summary>
public static class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (0700) or tightens an existing one; returns its full path.</summary>
    public static string Ensure(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }

        Directory.CreateDirectory(full, FolderMode);
        File.SetUnixFileMode(full, FolderMode);
        return full;
    }

    /// <summary>
    /// Makes the SQLite database file (and its -wal, -shm and -journal if present) 0600, creating an empty database
    /// file 0600 if there is none yet. No-op for in-memory databases and on Windows.
    /// </summary>
    public static void SecureSqliteFiles(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var path = builder.DataSource;
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(path) || path == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        path = Path.GetFullPath(path);
        if (!File.Exists(path) && Directory.Exists(Path.GetDirectoryName(path)))
        {
            using (new FileStream(path, Private(System.IO.FileMode.CreateNew)))
            {
            }

            // Write the header (in WAL mode) now: an empty file would be opened read-only by EF's existence check,
            // which cannot switch it to WAL. SQLite gives the -wal and -shm files it adds the database file's mode.
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> for appending, creating it 0600 (append-only use: checkpoints).</summary>
    public static FileStream OpenAppend(string path) => new(path, Private(System.IO.FileMode.Append));

    /// <summary>Write options that create the file 0600 on Unix.</summary>
    public static FileStreamOptions Private(System.IO.FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }
}
