using Microsoft.Data.Sqlite;

namespace MhaRights.Bench.BaselineServer;

/// <summary>
/// One long-lived SQLite connection behind an async lock, one row per transaction. This is the fastest shape
/// measured for a single SQLite writer (issue 9: a pooled connection per call reached 55-70% of it), so it is the
/// fair ceiling for the service's write path. The pragmas are the service's (SqlitePragmaInterceptor): WAL,
/// synchronous=FULL by default, foreign keys on, busy timeout 10 s.
/// </summary>
internal sealed class SerialSqliteWriter(string path, string synchronous) : IRowWriter
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private SqliteParameter? _id;
    private SqliteParameter? _patient;
    private SqliteParameter? _payload;
    private SqliteParameter? _time;

    public string Describe => $"SQLite {path}, synchronous={synchronous}, one serialised writer";

    public void Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText =
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;" +
                // Same key shape as the service's rows: a random 20-character TEXT primary key.
                "CREATE TABLE IF NOT EXISTS BaselineRows (Id TEXT NOT NULL PRIMARY KEY, PatientId TEXT NOT NULL, Payload TEXT NOT NULL, CreateTime TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO BaselineRows (Id, PatientId, Payload, CreateTime) VALUES ($id, $patient, $payload, $time)";
        _id = _insert.Parameters.Add("$id", SqliteType.Text);
        _patient = _insert.Parameters.Add("$patient", SqliteType.Text);
        _payload = _insert.Parameters.Add("$payload", SqliteType.Text);
        _time = _insert.Parameters.Add("$time", SqliteType.Text);
        _insert.Prepare();
    }

    public async Task<string> InsertAsync(string patientId, string payload, CancellationToken cancellationToken)
    {
        var id = RowIds.New();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection!.BeginTransaction();
            _insert!.Transaction = transaction;
            _id!.Value = id;
            _patient!.Value = patientId;
            _payload!.Value = payload;
            _time!.Value = DateTime.UtcNow;
            _insert.ExecuteNonQuery();
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }

        return id;
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        _gate.Dispose();
    }
}
