using System.Security.Cryptography;
using Google.Protobuf;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Security;
using MhaRights.Server.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Runs one write as one transaction: under the write gate, with the AIP-155 idempotency record and the audit
/// events committed together with the change. Either all of it is written or none of it. On SQLite the unit runs
/// inside a group-commit batch (SqliteGroupCommit) and is answered only after that batch is committed.
/// </summary>
public sealed class UnitOfWork(MhaRightsDbContext db, WriteGate gate, AuditLog audit, ICallerContext caller, IdempotencyOptions idempotency, WriteHealth health, TimeProvider time, CommitSignal commits)
{
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
    /// As above; <paramref name="redactForStorage"/> turns the response into what the idempotency record may keep
    /// (and a replay answers with), so a secret in the first response is never written to the database.
    /// </summary>
    public async Task<TResponse> ExecuteAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        Func<TResponse, TResponse>? redactForStorage,
        CancellationToken cancellationToken)
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

        using var activity = MhaRightsTelemetry.Source.StartActivity(MhaRightsTelemetry.UnitOfWorkSpan);
        activity?.SetTag("mharights.operation", method);
        try
        {
            var committed = await InTransactionAsync(async ct =>
            {
                if (!string.IsNullOrEmpty(requestId))
                {
                    var replay = await FindReplayAsync<TResponse>(callerPrincipal, method, requestId, requestHash, ct);
                    if (replay is not null)
                    {
                        return replay;
                    }
                }

                audit.RequestId = string.IsNullOrEmpty(requestId) ? null : requestId;
                var respond = await work(ct);

                // One SaveChanges: stamp the new versions first so the response (and the idempotency record holding
                // it) carries the etags the save will write.
                db.StampVersions();
                var response = respond();
                await audit.AppendPendingAsync(db, ct);
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

                await db.SaveChangesAsync(ct);
                return response;
            }, null, cancellationToken);
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

    private async Task ExecuteAsAsync(CallerIdentity? actingAs, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var activity = MhaRightsTelemetry.Source.StartActivity(MhaRightsTelemetry.UnitOfWorkSpan);
        activity?.SetTag("mharights.operation", actingAs is null ? "RecordAccess" : "System");
        await InTransactionAsync<bool>(async ct =>
        {
            await work(ct);
            await audit.AppendPendingAsync(db, ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, actingAs, cancellationToken);
        audit.Committed();
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction and returns its result once that transaction is committed.
    /// Whatever it throws is rethrown after its changes are undone.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> body, CallerIdentity? actingAs, CancellationToken cancellationToken)
    {
        if (gate.GroupCommit is not { } groupCommit)
        {
            audit.ActingAs = actingAs;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await body(cancellationToken);
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
            unit = await groupCommit.EnterAsync(cancellationToken);
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
            // Not cancellable once inside: the writer connection is shared with the other units of the batch,
            // and an interrupted statement may roll back the whole batch transaction.
            value = await body(CancellationToken.None);
        }
        catch (Exception ex)
        {
            failure = ex;
            Discard();
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

    private void Discard()
    {
        audit.Discard();
        db.ChangeTracker.Clear();
    }

    /// <param name="forgetExpired">Delete an expired record (only inside the write transaction); outside it, an
    /// expired record is just not a replay.</param>
    private async Task<TResponse?> FindReplayAsync<TResponse>(string callerPrincipal, string method, string requestId, string requestHash, CancellationToken cancellationToken, bool forgetExpired = true)
        where TResponse : IMessage<TResponse>, new()
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Caller == callerPrincipal && r.Method == method && r.RequestId == requestId, cancellationToken);
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
