using System.Security.Cryptography;
using Google.Protobuf;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Security;
using MhaRights.Server.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Runs one write as one transaction: under the write gate, with the AIP-155 idempotency record and the audit
/// events committed together with the change. Either all of it is written or none of it. On SQLite the unit runs
/// inside a group-commit batch (SqliteGroupCommit) and is answered only after that batch is committed.
/// </summary>
public sealed class UnitOfWork(MhaRightsDbContext db, WriteGate gate, AuditLog audit, ICallerContext caller, IdempotencyOptions idempotency, WriteHealth health, TimeProvider time, CommitSignal commits)
{
    // The patients whose rows the unit in the gate saved (SQLite), and whether it saved a row naming no patient.
    private HashSet<string>? _written;
    private bool _writtenUnattributed;

    /// <summary>
    /// Executes <paramref name="work"/>, which changes tracked entities and returns a function that builds the
    /// response once the new versions are stamped (so etags carry them). A repeated <paramref name="requestId"/>
    /// returns the first response without running the work again.
    /// </summary>
    public Task<TResponse> ExecuteAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ExecuteAsync(method, requestId, request, work, null, cancellationToken);

    /// <summary>
    /// As above, for work whose every read is of one patient's rows (<paramref name="readsOfPatient"/>): on SQLite
    /// it runs before the write gate on a pooled read connection, and the gate only appends the audit events and
    /// saves. Should another unit have written that patient's rows since the reads began (committed or still in the
    /// open batch), or the save collide (version check, request_id key), the work is discarded and run again inside
    /// the gate, exactly as without this option: callers never see an answer the serial order would not give.
    /// </summary>
    public Task<TResponse> ExecuteOptimisticAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        string readsOfPatient,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(readsOfPatient);
        return ExecuteCoreAsync(method, requestId, request, work, null, readsOfPatient, cancellationToken);
    }

    /// <summary>
    /// As above; <paramref name="redactForStorage"/> turns the response into what the idempotency record may keep
    /// (and a replay answers with), so a secret in the first response is never written to the database.
    /// </summary>
    public Task<TResponse> ExecuteAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        Func<TResponse, TResponse>? redactForStorage,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ExecuteCoreAsync(method, requestId, request, work, redactForStorage, null, cancellationToken);

    /// <summary>
    /// As <see cref="ExecuteAsync{TResponse}(string, string?, IMessage, Func{CancellationToken, Task{Func{TResponse}}}, CancellationToken)"/>,
    /// for work that writes many rows (an import batch): on SQLite it runs in a transaction of its own rather than
    /// in a savepoint of a shared batch (<see cref="SqliteGroupCommit.EnterAsync(bool, CancellationToken)"/>).
    /// </summary>
    public Task<TResponse> ExecuteLargeAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        ExecuteCoreAsync(method, requestId, request, work, null, null, cancellationToken, alone: true);

    private async Task<TResponse> ExecuteCoreAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        Func<TResponse, TResponse>? redactForStorage,
        string? readsOfPatient,
        CancellationToken cancellationToken,
        bool alone = false)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(work);
        if (!string.IsNullOrEmpty(requestId) && (requestId.Length > 100 || RequestValidator.FirstForbidden(requestId, allowLineBreaks: false) >= 0))
        {
            throw new ValidationFailedException("request_id", "must be at most 100 characters, without control or bidirectional formatting characters");
        }

        var requestHash = Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()));
        var callerPrincipal = caller.Caller.Principal;

        // The same request_id may have committed meanwhile on another instance (server databases): its stored answer.
        async Task<TResponse?> WinnersAnswerAsync() => string.IsNullOrEmpty(requestId)
            ? default
            : await FindReplayAsync<TResponse>(callerPrincipal, method, requestId, requestHash, CancellationToken.None, forgetExpired: false);

        // Runs the work and stages everything it writes (new versions stamped, so the response and the idempotency
        // record holding it carry the etags the save will write); nothing reaches the database yet.
        async Task<TResponse> PrepareAsync(CancellationToken ct)
        {
            audit.RequestId = string.IsNullOrEmpty(requestId) ? null : requestId;
            var respond = await work(ct);
            db.StampVersions();
            var response = respond();
            if (!string.IsNullOrEmpty(requestId))
            {
                var stored = redactForStorage is null ? response : redactForStorage(response.Clone());
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Caller = callerPrincipal,
                    Method = method,
                    RequestId = requestId,
                    RequestHash = requestHash,
                    Response = stored.ToByteArray(),
                    CreateTime = time.GetUtcNow().UtcDateTime,
                });
            }

            return response;
        }

        using var activity = MhaRightsTelemetry.Source.StartActivity(MhaRightsTelemetry.UnitOfWorkSpan);
        activity?.SetTag("mharights.operation", method);
        try
        {
            var prepared = readsOfPatient is not null && gate.GroupCommit is { } writer
                ? await PrepareOutsideGateAsync(writer, readsOfPatient, requestId, callerPrincipal, method, requestHash, PrepareAsync, cancellationToken)
                : null;
            if (prepared is { Replay: { } earlier })
            {
                return earlier;
            }

            var committed = await InTransactionAsync(async (unit, ct) =>
            {
                if (prepared is { } optimistic && unit is not null)
                {
                    if (await TrySaveOptimisticAsync(unit, readsOfPatient!, optimistic.Stamp))
                    {
                        return optimistic.Response!;
                    }

                    prepared = null;
                }

                if (!string.IsNullOrEmpty(requestId))
                {
                    var replay = await FindReplayAsync<TResponse>(callerPrincipal, method, requestId, requestHash, ct);
                    if (replay is not null)
                    {
                        return replay;
                    }
                }

                var response = await PrepareAsync(ct);
                await SaveAsync(unit, ct);
                return response;
            }, null, cancellationToken, alone);
            audit.Committed();
            return committed;
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || DbErrors.IsWriteConflict(ex) || (ex is DbUpdateException update && DbErrors.IsUniqueViolation(update)))
        {
            // On a server database the same request_id may run twice at once (two instances, a client retry): the
            // loser collides with the winner's rows or its idempotency key. Answer with the winner's result.
            if (await WinnersAnswerAsync() is { } replay)
            {
                return replay;
            }

            if (ex is DbUpdateConcurrencyException concurrency)
            {
                // Server databases run both writers at once, so the loser learns of the winner only here: give it the
                // winner's etag, as the write gate's etag check does on SQLite, so it can re-read and retry.
                var entry = concurrency.Entries.FirstOrDefault();
                throw new ConcurrentModificationException(entry?.Metadata.ClrType.Name ?? "The resource", await CurrentEtagAsync(entry));
            }

            if (DbErrors.IsWriteConflict(ex))
            {
                throw new ConcurrentModificationException("The resource", null);
            }

            throw new ResourceAlreadyExistsException(string.Empty, "A resource with the same identity was created at the same time.");
        }
        catch (Exception ex) when (ex is DomainException or Workflow.InvalidTransitionException && gate.GroupCommit is null && !string.IsNullOrEmpty(requestId))
        {
            // No write gate on a server database: the same request_id running on another instance may commit after
            // this one looked for a replay and before its work read the state the winner changed, so the work fails
            // on the winner's own effect ("already understood", "local id exists", a stale etag). That request was
            // done: answer with the winner's result, as a retry a moment later would get.
            if (await WinnersAnswerAsync() is { } replay)
            {
                return replay;
            }

            throw;
        }
    }

    private static async Task<string?> CurrentEtagAsync(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry? entry)
    {
        if (entry?.Entity is not IVersioned)
        {
            return null;
        }

        var values = await entry.GetDatabaseValuesAsync(CancellationToken.None);
        return values?[nameof(IVersioned.Version)] is long version ? Api.Etags.Format(version) : null;
    }

    /// <summary>A system write with no request (the deadline sweeper).</summary>
    public Task ExecuteSystemAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsAsync(CallerIdentity.System, work, cancellationToken);

    /// <summary>
    /// Audits a read (who viewed whose sensitive data) in its own short transaction. The read itself is not
    /// part of it: an access is recorded even when the caller goes on to do nothing.
    /// </summary>
    public Task RecordAccessAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ExecuteAsAsync(null, ct =>
        {
            audit.Record(entry);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>A system write of many rows (tests of large units); see <see cref="ExecuteLargeAsync{TResponse}"/>.</summary>
    internal Task ExecuteSystemLargeAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsAsync(CallerIdentity.System, work, cancellationToken, alone: true);

    private async Task ExecuteAsAsync(CallerIdentity? actingAs, Func<CancellationToken, Task> work, CancellationToken cancellationToken, bool alone = false)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var activity = MhaRightsTelemetry.Source.StartActivity(MhaRightsTelemetry.UnitOfWorkSpan);
        activity?.SetTag("mharights.operation", actingAs is null ? "RecordAccess" : "System");
        await InTransactionAsync<bool>(async (unit, ct) =>
        {
            await work(ct);
            await SaveAsync(unit, ct);
            return true;
        }, actingAs, cancellationToken, alone);
        audit.Committed();
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction and returns its result once that transaction is committed.
    /// Whatever it throws is rethrown after its changes are undone.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<WriteUnit?, CancellationToken, Task<T>> body, CallerIdentity? actingAs, CancellationToken cancellationToken, bool alone = false)
    {
        if (gate.GroupCommit is not { } groupCommit)
        {
            audit.ActingAs = actingAs;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await body(null, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                commits.Committed();
                return result;
            }
            catch
            {
                Discard();
                try
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // Already completed or the connection is gone: nothing was committed either way.
                }

                throw;
            }
        }

        WriteUnit unit;
        try
        {
            unit = await groupCommit.EnterAsync(alone, cancellationToken);
        }
        catch (Exception ex) when (DatabaseFailures.Unavailable(ex) is { } unavailable)
        {
            health.Failed(unavailable);
            throw unavailable;
        }

        T value = default!;
        Exception? failure = null;
        string? readConnectionString = null;
        try
        {
            readConnectionString = db.Database.GetConnectionString()!;
            SwitchToWriter(unit);
            audit.ActingAs = actingAs;
            db.SavingChanges += NoteWrites;
            db.WritingDirectly += NoteDirectWrites;
            // Not cancellable once inside: the writer connection is shared with the other units of the batch,
            // and an interrupted statement may roll back the whole batch transaction.
            value = await body(unit, CancellationToken.None);
        }
        catch (Exception ex)
        {
            failure = ex;
            Discard();
        }
        finally
        {
            db.SavingChanges -= NoteWrites;
            db.WritingDirectly -= NoteDirectWrites;
            // Noted even for a unit undone: it only makes an optimistic read of those patients run again.
            unit.RecordWrites(_written ?? (IReadOnlyCollection<string>)[], _writtenUnattributed);
            _written = null;
            _writtenUnattributed = false;
        }

        try
        {
            if (readConnectionString is not null)
            {
                SwitchBack(readConnectionString);
            }
        }
        catch (Exception ex)
        {
            // Leave the gate whatever happens here (the others queue behind it); undo this unit if it is in doubt.
            failure ??= ex;
        }

        unit.Leave(succeeded: failure is null);

        // Answer only what the batch committed: a success, or an error that was decided on committed data.
        try
        {
            await unit.Committed;
        }
        catch (Exception ex) when (ex is not DomainException)
        {
            // A read-only or full database often makes SQLite roll the batch back itself: name that cause.
            if ((DatabaseFailures.Unavailable(ex) ?? DatabaseFailures.Unavailable(failure)) is { } unavailable)
            {
                health.Failed(unavailable);
                throw unavailable;
            }

            throw new WriteNotCommittedException(ex);
        }

        if (failure is not null)
        {
            if (DatabaseFailures.Unavailable(failure) is { } unavailable)
            {
                health.Failed(unavailable);
                throw unavailable;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        health.Succeeded();
        commits.Committed();
        return value;
    }

    /// <summary>Points the request's context at the writer connection and batch transaction for this unit.</summary>
    private void SwitchToWriter(WriteUnit unit)
    {
        db.Database.SetDbConnection(unit.Connection, contextOwnsConnection: false);
        db.Database.UseTransaction(unit.Transaction);
        // The unit's savepoint is managed by the group commit; EF's own per-save savepoint would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
    }

    /// <summary>
    /// Back to the configured connection string, so later reads in this request use the pool (on a connection EF
    /// creates and initialises itself) and never touch the writer.
    /// </summary>
    private void SwitchBack(string readConnectionString)
    {
        db.Database.AutoSavepointsEnabled = true;
        if (db.Database.CurrentTransaction is not null)
        {
            db.Database.UseTransaction(null);
        }

        db.Database.SetDbConnection(null, contextOwnsConnection: false);
        db.Database.SetConnectionString(readConnectionString);
    }

    /// <summary>
    /// The one place a unit's changes are written: the audit events (chained to the tail the SQLite writer keeps in
    /// memory), the other append-only rows, then SaveChanges for the rest (issue 16: on SQLite the appends are
    /// statements kept on the writer connection, bound by position; SaveChanges would plan, prepare and bind each by name).
    /// </summary>
    private async Task SaveAsync(WriteUnit? unit, CancellationToken cancellationToken)
    {
        await audit.AppendPendingAsync(db, cancellationToken, unit);
        await db.SaveChangesAppendingAsync(AppendOnlyTypes, cancellationToken);
    }

    /// <summary>Rows a unit of work only ever inserts: the record of an explanation attempt and the idempotency record.</summary>
    private static readonly Type[] AppendOnlyTypes = [typeof(IdempotencyRecord), typeof(Rights.Duties.ExplanationAttempt)];

    /// <summary>What the optimistic phase produced: a stored answer to replay, or a staged change and its response.</summary>
    private sealed record Prepared<TResponse>(TResponse? Replay, TResponse? Response, long Stamp);

    /// <summary>
    /// The optimistic phase, before the gate: the replay lookup and the work, reading committed data on a pooled
    /// connection. A refusal is final only if nobody wrote the patient's rows since the reads began; otherwise (and
    /// for an expired request_id, whose record is deleted inside the gate) the unit runs inside the gate as usual.
    /// </summary>
    private async Task<Prepared<TResponse>?> PrepareOutsideGateAsync<TResponse>(
        SqliteGroupCommit writer,
        string patientId,
        string? requestId,
        string callerPrincipal,
        string method,
        string requestHash,
        Func<CancellationToken, Task<TResponse>> prepare,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        // Taken before the first read: every write numbered up to it is in the database these reads see.
        var stamp = writer.SettledStamp;
        db.SavingChanges += RefuseWritesBeforeGate;
        // One open for all the work's reads instead of one per query: each open of an EF connection registers its SQL
        // functions again. Each read is still its own statement and snapshot, as before.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!string.IsNullOrEmpty(requestId)
                && await FindReplayAsync<TResponse>(callerPrincipal, method, requestId, requestHash, cancellationToken, forgetExpired: false) is { } replay)
            {
                return new Prepared<TResponse>(replay, default, stamp);
            }

            return new Prepared<TResponse>(default, await prepare(cancellationToken), stamp);
        }
        catch (Exception ex) when (ex is DomainException or Workflow.InvalidTransitionException)
        {
            Discard();
            if (!writer.WrittenSince(patientId, stamp))
            {
                throw;
            }

            return null;
        }
        catch
        {
            Discard();
            throw;
        }
        finally
        {
            db.SavingChanges -= RefuseWritesBeforeGate;
            // Closed before the gate: the unit of work points the context at the writer connection.
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Inside the gate: saves what the optimistic phase staged, unless the patient's rows were written since its reads
    /// began. A collision the check cannot see (a version check, the request_id key) undoes the save. False: the unit
    /// is back to nothing done, to run again inside the gate.
    /// </summary>
    private async Task<bool> TrySaveOptimisticAsync(WriteUnit unit, string patientId, long stamp)
    {
        if (unit.WrittenSince(patientId, stamp))
        {
            Discard();
            return false;
        }

        try
        {
            await SaveAsync(unit, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || (ex is DbUpdateException update && DbErrors.IsUniqueViolation(update)))
        {
            unit.Restart();
            Discard();
            return false;
        }
    }

    /// <summary>Notes, on every SaveChanges under the gate (work may save more than once), whose rows are written,
    /// for the optimistic phase of later units. Audit events and idempotency records are not read by any work (the
    /// tail is the writer's, replays hit the unique key); a row that names no patient counts for every patient.</summary>
    private void NoteWrites(object? sender, SavingChangesEventArgs e) => Note(db.ChangeTracker.Entries());

    /// <summary>As <see cref="NoteWrites"/>, for the rows a save writes itself (appends, SQLite updates) before SaveChanges runs.</summary>
    private void NoteDirectWrites(object? sender, IReadOnlyList<EntityEntry> entries) => Note(entries);

    private void Note(IEnumerable<EntityEntry> entries)
    {
        var patients = _written ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || entry.Entity is AuditEvent or IdempotencyRecord)
            {
                continue;
            }

            if (entry.Entity is Patients.Patient patient)
            {
                patients.Add(patient.Id);
            }
            else if (entry.Metadata.FindProperty("PatientId") is { } property && entry.Property(property.Name) is var value
                && value.CurrentValue is string current)
            {
                patients.Add(current);
                if (value.OriginalValue is string original)
                {
                    patients.Add(original);
                }
            }
            else
            {
                _writtenUnattributed = true;
            }
        }
    }

    private static void RefuseWritesBeforeGate(object? sender, SavingChangesEventArgs e) =>
        throw new InvalidOperationException("Work run before the write gate must not save: it only stages changes.");

    private void Discard()
    {
        audit.Discard();
        db.ChangeTracker.Clear();
    }

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, string, string, CancellationToken, Task<IdempotencyRecord?>>> ReplayQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string callerPrincipal, string method, string requestId, CancellationToken ct) =>
            db.IdempotencyRecords.AsNoTracking().FirstOrDefault(r => r.Caller == callerPrincipal && r.Method == method && r.RequestId == requestId)));

    /// <param name="forgetExpired">Delete an expired record (only inside the write transaction); outside it, an
    /// expired record is just not a replay.</param>
    private async Task<TResponse?> FindReplayAsync<TResponse>(string callerPrincipal, string method, string requestId, string requestHash, CancellationToken cancellationToken, bool forgetExpired = true)
        where TResponse : IMessage<TResponse>, new()
    {
        var record = await ReplayQuery.For(db)(db, callerPrincipal, method, requestId, cancellationToken);
        if (record is null)
        {
            return default;
        }

        if (record.CreateTime < time.GetUtcNow().UtcDateTime - idempotency.Retention)
        {
            if (!forgetExpired)
            {
                return default;
            }

            // Expired but not swept yet: forget it now (in this transaction) so the id is a new request, exactly
            // as it would be after the sweep.
            await db.IdempotencyRecords
                .Where(r => r.Caller == callerPrincipal && r.Method == method && r.RequestId == requestId)
                .ExecuteDeleteAsync(cancellationToken);
            return default;
        }

        if (!string.Equals(record.RequestHash, requestHash, StringComparison.Ordinal))
        {
            throw new RequestIdReusedException(requestId);
        }

        var parser = new MessageParser<TResponse>(() => new TResponse());
        return parser.ParseFrom(record.Response);
    }
}
