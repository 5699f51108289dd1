using System.Globalization;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Api;

/// <summary>
/// The hot read RPCs' queries, compiled once and untracked: a compiled query skips EF Core's per-call expression
/// tree parameter extraction and query-cache lookup, and nothing read here is ever saved, so change tracking would be
/// pure cost. Each query keeps the SQL of the LINQ it replaced (same filters and order), so answers do not change.
/// </summary>
internal static class ReadQueries
{
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<bool>>> PatientExistsQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) =>
            db.Patients.Any(p => p.Id == patientId)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<Patient?>>> PatientQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) =>
            db.Patients.AsNoTracking().FirstOrDefault(p => p.Id == patientId)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, IAsyncEnumerable<RightsDuty>>> OpenDutiesByOpenTimeQuery = new(() =>
        EF.CompileAsyncQuery<MhaRightsDbContext, string, RightsDuty>((MhaRightsDbContext db, string patientId) =>
            db.Duties.AsNoTracking()
                .Where(d => d.PatientId == patientId && DutyWorkflow.OpenStates.Contains(d.State))
                .OrderBy(d => d.OpenTime)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, string, CancellationToken, Task<RightsDuty?>>> DutyQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, string dutyId, CancellationToken ct) =>
            db.Duties.AsNoTracking().FirstOrDefault(d => d.Id == dutyId && d.PatientId == patientId)));

    // ListDuties: one compiled query per shape (open only or all, first page or after a position), so each keeps
    // the plain SQL of its shape instead of "@flag OR ..." conditions that would defeat SQLite's index choice.
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, int, IAsyncEnumerable<RightsDuty>>> AllDutiesFirstPage = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, int take) =>
            db.Duties.AsNoTracking()
                .Where(d => d.PatientId == patientId)
                .OrderBy(d => d.OpenTime).ThenBy(d => d.Id).Take(take)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, int, IAsyncEnumerable<RightsDuty>>> OpenDutiesFirstPage = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, int take) =>
            db.Duties.AsNoTracking()
                .Where(d => d.PatientId == patientId)
                .Where(d => DutyWorkflow.OpenStates.Contains(d.State))
                .OrderBy(d => d.OpenTime).ThenBy(d => d.Id).Take(take)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, DateTime, string, int, IAsyncEnumerable<RightsDuty>>> AllDutiesAfter = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, DateTime afterTime, string afterId, int take) =>
            db.Duties.AsNoTracking()
                .Where(d => d.PatientId == patientId)
                .Where(d => d.OpenTime > afterTime || (d.OpenTime == afterTime && string.Compare(d.Id, afterId) > 0))
                .OrderBy(d => d.OpenTime).ThenBy(d => d.Id).Take(take)));

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, DateTime, string, int, IAsyncEnumerable<RightsDuty>>> OpenDutiesAfter = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, DateTime afterTime, string afterId, int take) =>
            db.Duties.AsNoTracking()
                .Where(d => d.PatientId == patientId)
                .Where(d => DutyWorkflow.OpenStates.Contains(d.State))
                .Where(d => d.OpenTime > afterTime || (d.OpenTime == afterTime && string.Compare(d.Id, afterId) > 0))
                .OrderBy(d => d.OpenTime).ThenBy(d => d.Id).Take(take)));

    public static Task<bool> PatientExistsAsync(MhaRightsDbContext db, string patientId, CancellationToken cancellationToken) =>
        PatientExistsQuery.For(db)(db, patientId, cancellationToken);

    /// <summary>Throws NOT_FOUND naming the patient unless it exists; reads nothing else.</summary>
    public static async Task RequirePatientAsync(MhaRightsDbContext db, string patientId, CancellationToken cancellationToken)
    {
        if (!await PatientExistsQuery.For(db)(db, patientId, cancellationToken))
        {
            throw new Common.ResourceNotFoundException(ResourceNames.Patient(patientId));
        }
    }

    /// <summary>The patient, untracked; NOT_FOUND naming it when there is none (as PatientDirectory.GetAsync).</summary>
    public static async Task<Patient> PatientAsync(MhaRightsDbContext db, string patientId, CancellationToken cancellationToken) =>
        await PatientQuery.For(db)(db, patientId, cancellationToken) ?? throw new Common.ResourceNotFoundException(ResourceNames.Patient(patientId));

    /// <summary>The patient's open duties by open time (as RightsLifecycle.OpenDutiesAsync), untracked.</summary>
    public static Task<List<RightsDuty>> OpenDutiesByOpenTimeAsync(MhaRightsDbContext db, string patientId, CancellationToken cancellationToken) =>
        ToListAsync(OpenDutiesByOpenTimeQuery.For(db)(db, patientId), cancellationToken);

    public static Task<RightsDuty?> DutyAsync(MhaRightsDbContext db, string patientId, string dutyId, CancellationToken cancellationToken) =>
        DutyQuery.For(db)(db, patientId, dutyId, cancellationToken);

    /// <summary>
    /// A page of the patient's duties by open time then id, after <paramref name="after"/> when given. On SQLite through
    /// statements prepared once per connection (as GetRightsStatus, Api/RightsStatusQueries.cs).
    /// </summary>
    public static async Task<List<RightsDuty>> DutyPageAsync(
        MhaRightsDbContext db, string patientId, bool openOnly, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection)
        {
            using var connection = SqliteReadConnections.Open(db.Database.GetConnectionString()!);
            return SqliteDutyPages.For(db).Read(connection, patientId, openOnly, after, take);
        }

        return await CompiledDutyPageAsync(db, patientId, openOnly, after, take, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The compiled queries' page (any provider; what the SQLite statements are tested against).</summary>
    internal static Task<List<RightsDuty>> CompiledDutyPageAsync(
        MhaRightsDbContext db, string patientId, bool openOnly, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        var rows = after is { } position
            ? (openOnly ? OpenDutiesAfter : AllDutiesAfter).For(db)(db, patientId, position.Time, position.Id, take)
            : (openOnly ? OpenDutiesFirstPage : AllDutiesFirstPage).For(db)(db, patientId, take);
        return ToListAsync(rows, cancellationToken);
    }

    /// <summary>
    /// ListDuties' page, NOT_FOUND naming the patient when there is none. A duty's row proves its patient exists
    /// (foreign key), so the existence check runs only when the page comes back empty: one command for the usual case.
    /// </summary>
    public static async Task<List<RightsDuty>> DutyPageOfExistingPatientAsync(
        MhaRightsDbContext db, string patientId, bool openOnly, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        var page = await DutyPageAsync(db, patientId, openOnly, after, take, cancellationToken).ConfigureAwait(false);
        if (page.Count == 0)
        {
            await RequirePatientAsync(db, patientId, cancellationToken).ConfigureAwait(false);
        }

        return page;
    }

    /// <summary>ListDuties' four shapes as SQLite statements, in the compiled queries' order (open time, then id).</summary>
    internal sealed class SqliteDutyPages
    {
        private static readonly CompiledPerModel<SqliteDutyPages> PerModel = new(db => new SqliteDutyPages(db));

        private readonly SqliteEntityReader<RightsDuty> _duties;
        private readonly string[] _sql = new string[4];

        private SqliteDutyPages(DbContext db)
        {
            var d = _duties = SqliteEntityReader<RightsDuty>.For(db);
            var (id, openTime) = (d.Column(nameof(RightsDuty.Id)), d.Column(nameof(RightsDuty.OpenTime)));
            var open = $"AND {d.Column(nameof(RightsDuty.State))} IN ({string.Join(", ", DutyWorkflow.OpenStates.Select(state => d.Literal(nameof(RightsDuty.State), state)))})";
            const string After = "AND ({0} > ?2 OR ({0} = ?2 AND {1} > ?3))";
            for (var shape = 0; shape < 4; shape++)
            {
                var (openOnly, paged) = (shape % 2 == 1, shape >= 2);
                _sql[shape] = $"""
                    SELECT {d.Columns} FROM {d.Table}
                    WHERE {d.Column(nameof(RightsDuty.PatientId))} = ?1 {(openOnly ? open : string.Empty)} {(paged ? string.Format(CultureInfo.InvariantCulture, After, openTime, id) : string.Empty)}
                    ORDER BY {openTime}, {id}
                    """;
            }
        }

        public static SqliteDutyPages For(DbContext db) => PerModel.For(db);

        public List<RightsDuty> Read(SqliteConnection connection, string patientId, bool openOnly, (DateTime Time, string Id)? after, int take)
        {
            using var lease = SqlitePreparedStatements.Rent(connection, _sql[(openOnly ? 1 : 0) + (after is null ? 0 : 2)]);
            var statement = lease.Statement;
            statement.Bind(1, patientId);
            if (after is { } position)
            {
                statement.Bind(2, position.Time);
                statement.Bind(3, position.Id);
            }

            // The page's size is where reading stops, not a bound LIMIT: SQLite plans with a LIMIT's bound value and
            // expires the statement whenever that parameter is bound again, so it would be prepared on every call (a
            // patient's duties are few; sorting them all costs less than a preparation).
            return _duties.ReadAll(statement, take);
        }
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(row);
        }

        return list;
    }
}

/// <summary>
/// Keeps the request's database connection open for the rest of a read-only RPC, so its queries share one open
/// (one trip through the connection pool and its per-connection set-up) instead of opening and closing around each.
/// Only for RPCs that never start a unit of work: a unit of work needs the context's own connection closed.
/// </summary>
internal readonly struct ReadConnection : IAsyncDisposable
{
    private readonly MhaRightsDbContext _db;

    private ReadConnection(MhaRightsDbContext db) => _db = db;

    public static async Task<ReadConnection> OpenAsync(MhaRightsDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new ReadConnection(db);
    }

    public ValueTask DisposeAsync() => new(_db.Database.CloseConnectionAsync());
}
