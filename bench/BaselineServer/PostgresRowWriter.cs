using Npgsql;

namespace MhaRights.Bench.BaselineServer;

/// <summary>
/// The PostgreSQL baseline: one row per transaction (autocommit INSERT) on a pooled connection, concurrent writers
/// and no lock of our own, because PostgreSQL handles concurrent writers itself (the service runs no write gate on
/// it either). Same row shape as the SQLite baseline. The fair ceiling for the service's write path on PostgreSQL.
/// </summary>
internal sealed class PostgresRowWriter(string connectionString) : IRowWriter
{
    private NpgsqlDataSource? _source;

    public string Describe => "PostgreSQL, one autocommit INSERT per call on a pooled connection";

    public void Open()
    {
        _source = NpgsqlDataSource.Create(connectionString);
        using var setup = _source.CreateCommand(
            "CREATE TABLE IF NOT EXISTS baseline_rows (id varchar(20) PRIMARY KEY, patient_id varchar(20) NOT NULL, payload text NOT NULL, create_time timestamptz NOT NULL)");
        setup.ExecuteNonQuery();
    }

    public async Task<string> InsertAsync(string patientId, string payload, CancellationToken cancellationToken)
    {
        var id = RowIds.New();
        await using var command = _source!.CreateCommand("INSERT INTO baseline_rows (id, patient_id, payload, create_time) VALUES ($1, $2, $3, $4)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(patientId);
        command.Parameters.AddWithValue(payload);
        command.Parameters.AddWithValue(DateTime.UtcNow);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public void Dispose() => _source?.Dispose();
}
