using MhaRights.Server.Telemetry;
using MhaRights.Server.Audit;
using Microsoft.Data.Sqlite;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Group commit for SQLite. Every unit of work runs, one at a time, on one long-lived writer connection inside a
/// SAVEPOINT of a shared batch transaction (BEGIN IMMEDIATE, so a second server process on the same file still waits
/// for the write lock). The unit leaving the gate commits the batch when nobody else is queued, or when the batch
/// reached its cap; otherwise the next unit joins the same transaction. Under load many units share one COMMIT and
/// its fsync; one request at a time behaves as before (its own transaction). A unit's caller must not answer before
/// <see cref="WriteUnit.Committed"/> completes: if the COMMIT fails, every unit of that batch fails.
/// </summary>
public sealed partial class SqliteGroupCommit : IDisposable
{
    private const string SavepointName = "unit_of_work";

    /// <summary>
    /// The writer's page cache while a large unit (an import batch) runs (KiB). Such a unit touches many pages of
    /// every index it appends to, several times each (rounds of one batch); with the default 2 MB the pages are
    /// read back from the file again and again and spill to the WAL before the commit (bench/ANALYSIS.md).
    /// </summary>
    internal const int LargeUnitCacheKib = 65536;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly int _maxUnits;
    private readonly TimeSpan _maxBatchTime;
    private readonly TimeSpan _writeLockTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MhaRightsMetrics? _metrics;
    private SqliteConnection? _connection;
    private Batch? _batch;
    private int _queued;
    private long _commits;
    private long _units;
    private long _gateHeldTicks;
    private long _commitTicks;

    // The audit chain's last event as this writer appended it (null: read it from the database). Trusted only while
    // no other connection has committed (PRAGMA data_version, checked at every BEGIN) and reset whenever a batch fails.
    private AuditTail? _auditTail;
    private long? _dataVersion;

    // Write stamps for the optimistic pre-gate phase (UnitOfWork): every unit gets a number; _settled is the highest
    // number whose outcome is in the database (committed or rolled back), so a read started after taking it sees it.
    private readonly Lock _stampLock = new();
    private readonly Dictionary<string, long> _patientWrites = new(StringComparer.Ordinal);
    private long _stamp;
    private long _settled;
    private long _everyPatientWritten;

    public SqliteGroupCommit(string connectionString, DatabaseOptions options, TimeProvider time, ILogger<SqliteGroupCommit> logger, MhaRightsMetrics? metrics = null)
    {
        _logger = logger;
        _metrics = metrics;
        ArgumentNullException.ThrowIfNull(options);
        // The writer keeps its own, unpooled connection: it stays open for the life of the process.
        _maxUnits = Math.Max(1, options.GroupCommitMaxUnits);
        _maxBatchTime = options.GroupCommitMaxBatchTime;
        _writeLockTimeout = options.WriteLockTimeout > TimeSpan.Zero ? options.WriteLockTimeout : TimeSpan.FromSeconds(5);
        // Microsoft.Data.Sqlite retries SQLITE_BUSY itself until DefaultTimeout (30 s by default) whatever
        // busy_timeout says: bound it by the write-lock timeout too.
        _connectionString = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(_writeLockTimeout.TotalSeconds),
        }.ToString();
        _synchronous = SqlitePragmaInterceptor.Validate(options.SqliteSynchronous);
        _time = time;
    }

    /// <summary>Batches committed (diagnostics and tests).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Units of work run (diagnostics and tests).</summary>
    public long Units => Interlocked.Read(ref _units);

    /// <summary>Time units of work held the gate, from entering to leaving it, COMMIT included (diagnostics).</summary>
    public TimeSpan GateHeldTime => TimeSpan.FromTicks(Interlocked.Read(ref _gateHeldTicks));

    /// <summary>Time spent in COMMIT (diagnostics): the fsync the batch shares.</summary>
    public TimeSpan CommitTime => TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks));

    /// <summary>Units waiting for the gate (tests use it to line up a batch).</summary>
    internal int Queued => Volatile.Read(ref _queued);

    /// <summary>Test hook: runs <paramref name="action"/> on the writer connection under the gate (e.g. to make it
    /// read-only or full with a pragma).</summary>
    internal async Task OnWriterAsync(Action<SqliteConnection> action)
    {
        await _gate.WaitAsync();
        try
        {
            action(_connection ??= Open());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Test hook: runs under the gate just before COMMIT; throwing makes that COMMIT fail.</summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>Waits for the gate and starts a unit inside the current batch (opening one if needed).</summary>
    public Task<WriteUnit> EnterAsync(CancellationToken cancellationToken) => EnterAsync(alone: false, cancellationToken);

    /// <summary>
    /// Waits for the gate and starts a unit. <paramref name="alone"/> (a unit that writes many rows: an import batch)
    /// commits the open batch first and runs in a transaction of its own, with no savepoint. A savepoint makes SQLite
    /// copy the old image of every page the unit changes into a sub-journal (in memory on the writer): for a unit
    /// that changes thousands of pages that is as much memory and copying again, where the transaction itself can
    /// undo the unit. Such a unit commits as it leaves and cannot <see cref="WriteUnit.Restart"/>.
    /// </summary>
    public async Task<WriteUnit> EnterAsync(bool alone, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queued);
        var waitStarted = _time.GetTimestamp();
        bool entered;
        try
        {
            // Bounded: behind a writer stuck on another process's lock, the queue must not wait for ever either.
            entered = await _gate.WaitAsync(_writeLockTimeout, cancellationToken);
        }
        catch
        {
            // A unit already in the batch may be waiting for this one to commit: make sure somebody does.
            Interlocked.Decrement(ref _queued);
            _ = FlushAsync();
            throw;
        }

        if (!entered)
        {
            Interlocked.Decrement(ref _queued);
            _ = FlushAsync();
            throw DatabaseFailures.Busy(null);
        }

        Interlocked.Decrement(ref _queued);
        if (_metrics is { WriteGateWait.Enabled: true } metrics)
        {
            metrics.WriteGateWait.Record(_time.GetElapsedTime(waitStarted).TotalSeconds);
        }

        try
        {
            if (alone && _batch is { } open)
            {
                Commit(open);
            }

            var connection = _connection ??= Open();
            if (alone)
            {
                SetCacheSize(connection, LargeUnitCacheKib);
            }

            if (_batch is null)
            {
                _batch = new Batch(connection.BeginTransaction(deferred: false), _time.GetTimestamp());
                CheckOtherWriters(connection);
            }

            var batch = _batch;
            if (!alone)
            {
                batch.Transaction.Save(SavepointName);
            }

            batch.Units++;
            Interlocked.Increment(ref _units);
            return new WriteUnit(this, batch, _time.GetTimestamp(), _auditTail, hasSavepoint: !alone);
        }
        catch (Exception ex)
        {
            if (_batch is not null)
            {
                FailBatch(_batch, ex);
            }

            LeaveGate(alone);
            throw;
        }
    }

    /// <summary>Ends a unit: keeps or undoes its changes, commits the batch if it is this unit's turn, leaves the gate.</summary>
    internal void Leave(WriteUnit unit, bool succeeded)
    {
        var batch = unit.Batch;
        try
        {
            if (!ReferenceEquals(batch, _batch))
            {
                return;
            }

            if (SQLitePCL.raw.sqlite3_get_autocommit(_connection!.Handle) != 0)
            {
                // SQLite rolled the whole transaction back itself (I/O error, disk full, interrupt): the units
                // before this one are gone too.
                FailBatch(batch, new InvalidOperationException("SQLite rolled back the batch transaction after an error; retry the request."));
                return;
            }

            if (!unit.HasSavepoint)
            {
                // Alone in its batch: the transaction is the unit.
                if (succeeded)
                {
                    Commit(batch);
                }
                else
                {
                    RollBackAlone(batch, unit);
                }

                return;
            }

            if (!succeeded)
            {
                batch.Transaction.Rollback(SavepointName);
                _auditTail = unit.AuditTailAtStart;
            }

            batch.Transaction.Release(SavepointName);
            if (Volatile.Read(ref _queued) == 0
                || batch.Units >= _maxUnits
                || _time.GetElapsedTime(batch.StartTimestamp) >= _maxBatchTime)
            {
                Commit(batch);
            }
        }
        catch (Exception ex)
        {
            FailBatch(batch, ex);
        }
        finally
        {
            Interlocked.Add(ref _gateHeldTicks, _time.GetElapsedTime(unit.EnteredTimestamp).Ticks);
            LeaveGate(largeUnit: !unit.HasSavepoint);
        }
    }

    /// <summary>The stamp to take before an optimistic read outside the gate: every write numbered up to it is
    /// already settled in the database, so the read sees it.</summary>
    public long SettledStamp
    {
        get
        {
            lock (_stampLock)
            {
                return _settled;
            }
        }
    }

    /// <summary>Whether a unit numbered after <paramref name="stamp"/> wrote rows of the patient (or of unknown
    /// patients, or another connection committed): an optimistic read of that patient taken at the stamp may be stale.</summary>
    public bool WrittenSince(string patientId, long stamp)
    {
        lock (_stampLock)
        {
            return _everyPatientWritten > stamp
                || (_patientWrites.TryGetValue(patientId, out var last) && last > stamp);
        }
    }

    /// <summary>Notes what a unit wrote (under the gate, before it leaves). Unknown writes count for every patient.</summary>
    internal void RecordWrites(IReadOnlyCollection<string> patientIds, bool unattributed)
    {
        lock (_stampLock)
        {
            var stamp = ++_stamp;
            if (unattributed || _patientWrites.Count + patientIds.Count > 50_000)
            {
                // Bounded memory: forgetting the per-patient stamps is safe, it only makes every older read stale.
                _patientWrites.Clear();
                _everyPatientWritten = stamp;
                return;
            }

            foreach (var patientId in patientIds)
            {
                _patientWrites[patientId] = stamp;
            }
        }
    }

    private void Settle()
    {
        lock (_stampLock)
        {
            _settled = _stamp;
        }
    }

    /// <summary>At BEGIN (holding the write lock): if another connection committed since this writer's last batch,
    /// the audit tail in memory and every optimistic read in flight may be stale.</summary>
    private void CheckOtherWriters(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version;";
        var version = (long)command.ExecuteScalar()!;
        if (_dataVersion != version)
        {
            _auditTail = null;
            lock (_stampLock)
            {
                _patientWrites.Clear();
                _everyPatientWritten = ++_stamp;
            }
        }

        _dataVersion = version;
    }

    /// <summary>The audit tail this writer last appended, or null when it must be read from the database.</summary>
    internal AuditTail? AuditTail
    {
        get => _auditTail;
        set => _auditTail = value;
    }

    /// <summary>Undoes a unit's changes so far and keeps it in the gate (to run it again).</summary>
    internal void Restart(WriteUnit unit)
    {
        if (!unit.HasSavepoint)
        {
            throw new InvalidOperationException("A unit running alone in its transaction cannot restart.");
        }

        unit.Batch.Transaction.Rollback(SavepointName);
        _auditTail = unit.AuditTailAtStart;
    }

    public void Dispose()
    {
        _batch?.Transaction.Dispose();
        _connection?.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// Lets the next unit in. A large unit first gives its pages back (only large units need them), whether it
    /// committed, failed, or failed to start.
    /// </summary>
    private void LeaveGate(bool largeUnit)
    {
        if (largeUnit && _connection is { } connection)
        {
            SetCacheSize(connection, SqlitePragmaInterceptor.DefaultCacheKib);
        }

        _gate.Release();
    }

    /// <summary>
    /// Sets the writer's page cache (KiB). Shrinking it frees the pages above the new size. A failure leaves the
    /// cache as it was, which only costs speed.
    /// </summary>
    private static void SetCacheSize(SqliteConnection connection, int kib) =>
        SQLitePCL.raw.sqlite3_exec(connection.Handle, $"PRAGMA cache_size = -{kib};");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // The writer's busy_timeout is the write-lock timeout: BEGIN IMMEDIATE gives up (SQLITE_BUSY) after it.
        // temp_store=MEMORY: the statement journal of every multi-row INSERT and the sub-journal of every unit's
        // savepoint (old images of the pages it changes) otherwise go to a temporary file past 64 KiB, written and
        // truncated on each statement; in memory they are a copy (record-attempt +30% in bench/ANALYSIS.md). Large
        // units run without a savepoint (EnterAsync), so what is held at once is one unit's or one statement's pages.
        command.CommandText = SqlitePragmaInterceptor.PragmasFor(_synchronous)
            + $" PRAGMA busy_timeout={(int)_writeLockTimeout.TotalMilliseconds}; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
        return connection;
    }

    private void Commit(Batch batch)
    {
        try
        {
            BeforeCommit?.Invoke();
            var started = _time.GetTimestamp();
            batch.Transaction.Commit();
            Interlocked.Add(ref _commitTicks, _time.GetElapsedTime(started).Ticks);
        }
        catch (Exception ex)
        {
            FailBatch(batch, ex);
            return;
        }

        batch.Transaction.Dispose();
        _batch = null;
        Settle();
        _metrics?.GroupCommitBatchSize.Record(batch.Units);
        var commits = Interlocked.Increment(ref _commits);
        batch.Outcome.TrySetResult();
        if (commits % 500 == 0)
        {
            // How much batching the load gets (units per COMMIT), for tuning the caps.
            LogProgress(_logger, Units, commits);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Group commit: {Units} units of work in {Commits} commits since start")]
    private static partial void LogProgress(ILogger logger, long units, long commits);

    /// <summary>Undoes a failed unit that ran alone: its whole transaction, which held nothing else. Its own error
    /// stands (it was decided on committed data), so the batch's outcome is not a failure.</summary>
    private void RollBackAlone(Batch batch, WriteUnit unit)
    {
        batch.Transaction.Rollback();
        batch.Transaction.Dispose();
        _batch = null;
        _auditTail = unit.AuditTailAtStart;
        Settle();
        batch.Outcome.TrySetResult();
    }

    private void FailBatch(Batch batch, Exception exception)
    {
        // Correctness over speed: whatever this batch appended is gone, so the tail is read again.
        _auditTail = null;
        if (ReferenceEquals(batch, _batch))
        {
            _batch = null;
            try
            {
                batch.Transaction.Dispose(); // rolls back what is left of it
            }
            catch (SqliteException)
            {
                // Nothing committed either way; start the next batch on a fresh connection.
            }
            catch (InvalidOperationException)
            {
            }

            if (_connection is not null && SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                _connection.Dispose();
                _connection = null;
                _dataVersion = null;
            }
        }

        Settle();
        batch.Outcome.TrySetException(exception);
    }

    /// <summary>Commits an open batch whose remaining queued unit gave up waiting.</summary>
    private async Task FlushAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_batch is { } batch && Volatile.Read(ref _queued) == 0)
            {
                Commit(batch);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal sealed class Batch(SqliteTransaction transaction, long startTimestamp)
    {
        public SqliteTransaction Transaction { get; } = transaction;

        public long StartTimestamp { get; } = startTimestamp;

        public int Units { get; set; }

        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One unit of work inside a group-commit batch. Dispose (or <see cref="Leave"/>) exactly once.</summary>
public sealed class WriteUnit
{
    private readonly SqliteGroupCommit _owner;
    private int _left;

    internal WriteUnit(SqliteGroupCommit owner, SqliteGroupCommit.Batch batch, long enteredTimestamp, AuditTail? auditTailAtStart, bool hasSavepoint)
    {
        _owner = owner;
        Batch = batch;
        EnteredTimestamp = enteredTimestamp;
        AuditTailAtStart = auditTailAtStart;
        HasSavepoint = hasSavepoint;
    }

    /// <summary>False for a unit running alone in its transaction (see <see cref="SqliteGroupCommit.EnterAsync(bool, CancellationToken)"/>).</summary>
    internal bool HasSavepoint { get; }

    internal long EnteredTimestamp { get; }

    internal AuditTail? AuditTailAtStart { get; }

    /// <summary>The audit chain's last event as the writer knows it (null: read it); set after appending.</summary>
    public AuditTail? AuditTail
    {
        get => _owner.AuditTail;
        set => _owner.AuditTail = value;
    }

    /// <summary>Undoes this unit's changes so far; the unit stays in the gate and may run again.</summary>
    public void Restart() => _owner.Restart(this);

    /// <summary>See <see cref="SqliteGroupCommit.WrittenSince"/>.</summary>
    public bool WrittenSince(string patientId, long stamp) => _owner.WrittenSince(patientId, stamp);

    /// <summary>Notes the patients whose rows this unit wrote (see <see cref="SqliteGroupCommit.WrittenSince"/>).</summary>
    public void RecordWrites(IReadOnlyCollection<string> patientIds, bool unattributed) => _owner.RecordWrites(patientIds, unattributed);

    public SqliteConnection Connection => (SqliteConnection)Batch.Transaction.Connection!;

    public SqliteTransaction Transaction => Batch.Transaction;

    /// <summary>Completes when the batch this unit belongs to is committed; faults if it is not.</summary>
    public Task Committed => Batch.Outcome.Task;

    internal SqliteGroupCommit.Batch Batch { get; }

    /// <summary>Keeps (<paramref name="succeeded"/>) or undoes this unit's changes and leaves the gate.</summary>
    public void Leave(bool succeeded)
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            _owner.Leave(this, succeeded);
        }
    }
}
