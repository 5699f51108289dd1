using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Api;

/// <summary>
/// GetRightsStatus's reads. On PostgreSQL and SQL Server one compiled, untracked query: the patient row (its existence
/// is the NOT_FOUND check) with its current episodes and open duties as two correlated collections, one command instead
/// of three. On SQLite separate statements prepared once per connection (<see cref="SqlitePreparedStatements"/>) on a
/// read-only connection of their own (<see cref="SqliteReadConnections"/>), the patient's existence checked only when
/// nothing else is found: SQLite has no round trip to save, and preparing the joined statement again on every call cost
/// ~100 µs, several times the reads themselves (bench/RESULTS.md).
/// </summary>
internal static class RightsStatusQueries
{
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<StatusRows?>>> StatusQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) =>
            db.Patients.AsNoTracking()
                .Where(p => p.Id == patientId)
                .Select(p => new StatusRows
                {
                    CurrentEpisodes = db.Episodes
                        .Where(e => e.PatientId == p.Id && (e.State == EpisodeState.Active || e.State == EpisodeState.Recalled))
                        .OrderByDescending(e => e.StartTime)
                        .ToList(),
                    OpenDuties = db.Duties
                        .Where(d => d.PatientId == p.Id && DutyWorkflow.OpenStates.Contains(d.State))
                        .OrderBy(d => d.DueTime)
                        .ToList(),
                })
                .FirstOrDefault()));

    /// <summary>
    /// The patient's current episode (active or recalled, latest start first, as LegalStatusLifecycle.CurrentEpisodeAsync)
    /// and open duties by due time (as before); NOT_FOUND naming the patient when there is none.
    /// </summary>
    public static async Task<(LegalStatusEpisode? Episode, List<RightsDuty> OpenDuties)> StatusAsync(
        MhaRightsDbContext db, string patientId, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection)
        {
            using var connection = SqliteReadConnections.Open(db.Database.GetConnectionString()!);
            return SqliteReadConnections.InSnapshot(connection, (Statements: SqliteStatements.For(db), PatientId: patientId), static (c, s) => s.Statements.Read(c, s.PatientId));
        }

        return await QueryAsync(db, patientId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The compiled query (any provider; what the SQLite statements are tested against).</summary>
    internal static async Task<(LegalStatusEpisode? Episode, List<RightsDuty> OpenDuties)> QueryAsync(
        MhaRightsDbContext db, string patientId, CancellationToken cancellationToken)
    {
        var rows = await StatusQuery.For(db)(db, patientId, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(patientId);
        return (rows.CurrentEpisodes.Count == 0 ? null : rows.CurrentEpisodes[0], rows.OpenDuties);
    }

    private static Common.ResourceNotFoundException NotFound(string patientId) => new(ResourceNames.Patient(patientId));

    /// <summary>The same answers as the compiled query, in the same order (ties broken by id).</summary>
    internal sealed class SqliteStatements
    {
        private static readonly CompiledPerModel<SqliteStatements> PerModel = new(db => new SqliteStatements(db));

        private readonly SqliteEntityReader<LegalStatusEpisode> _episodes;
        private readonly SqliteEntityReader<RightsDuty> _duties;
        private readonly string _patientSql;
        private readonly string _episodeSql;
        private readonly string _dutiesSql;

        private SqliteStatements(DbContext db)
        {
            _episodes = SqliteEntityReader<LegalStatusEpisode>.For(db);
            _duties = SqliteEntityReader<RightsDuty>.For(db);
            var patients = db.Model.FindEntityType(typeof(Patients.Patient))!;
            _patientSql = $"SELECT 1 FROM \"{patients.GetTableName()}\" WHERE \"{patients.FindPrimaryKey()!.Properties[0].GetColumnName()}\" = ?1";
            var e = _episodes;
            _episodeSql = $"""
                SELECT {e.Columns} FROM {e.Table}
                WHERE {e.Column(nameof(LegalStatusEpisode.PatientId))} = ?1
                  AND {e.Column(nameof(LegalStatusEpisode.State))} IN ({e.Literal(nameof(LegalStatusEpisode.State), EpisodeState.Active)}, {e.Literal(nameof(LegalStatusEpisode.State), EpisodeState.Recalled)})
                ORDER BY {e.Column(nameof(LegalStatusEpisode.StartTime))} DESC, {e.Column(nameof(LegalStatusEpisode.Id))}
                LIMIT 1
                """;
            var d = _duties;
            _dutiesSql = $"""
                SELECT {d.Columns} FROM {d.Table}
                WHERE {d.Column(nameof(RightsDuty.PatientId))} = ?1
                  AND {d.Column(nameof(RightsDuty.State))} IN ({string.Join(", ", DutyWorkflow.OpenStates.Select(state => d.Literal(nameof(RightsDuty.State), state)))})
                ORDER BY {d.Column(nameof(RightsDuty.DueTime))}, {d.Column(nameof(RightsDuty.Id))}
                """;
        }

        public static SqliteStatements For(DbContext db) => PerModel.For(db);

        /// <summary>
        /// The status from the statements below. Run in one snapshot (<see cref="SqliteReadConnections.InSnapshot"/>), as
        /// the compiled query's single statement is: two autocommit reads with a transfer committed between them would
        /// pair one authority with the other's duties.
        /// </summary>
        public (LegalStatusEpisode? Episode, List<RightsDuty> OpenDuties) Read(SqliteConnection connection, string patientId)
        {
            LegalStatusEpisode? episode = null;
            using (var episodes = SqlitePreparedStatements.Rent(connection, _episodeSql))
            {
                episodes.Statement.Bind(1, patientId);
                if (episodes.Statement.Step())
                {
                    episode = _episodes.Read(episodes.Statement);
                }
            }

            List<RightsDuty> open;
            using (var duties = SqlitePreparedStatements.Rent(connection, _dutiesSql))
            {
                duties.Statement.Bind(1, patientId);
                open = _duties.ReadAll(duties.Statement);
            }

            // An episode or duty row proves the patient exists (foreign keys); only an empty answer needs the check.
            if (episode is null && open.Count == 0)
            {
                using var patient = SqlitePreparedStatements.Rent(connection, _patientSql);
                patient.Statement.Bind(1, patientId);
                if (!patient.Statement.Step())
                {
                    throw NotFound(patientId);
                }
            }

            return (episode, open);
        }
    }

    internal sealed class StatusRows
    {
        public required List<LegalStatusEpisode> CurrentEpisodes { get; init; }

        public required List<RightsDuty> OpenDuties { get; init; }
    }
}
