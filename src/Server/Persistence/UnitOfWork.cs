using System.Security.Cryptography;
using Google.Protobuf;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Runs one write as one transaction: under the write gate, with the AIP-155 idempotency record and the audit
/// events committed together with the change. Either all of it is written or none of it.
/// </summary>
public sealed class UnitOfWork(MhaRightsDbContext db, WriteGate gate, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Executes <paramref name="work"/>, which changes tracked entities and returns a function that builds the
    /// response after the save (so etags carry the new versions). A repeated <paramref name="requestId"/> returns
    /// the first response without running the work again.
    /// </summary>
    public async Task<TResponse> ExecuteAsync<TResponse>(
        string method,
        string? requestId,
        IMessage request,
        Func<CancellationToken, Task<Func<TResponse>>> work,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(work);
        if (!string.IsNullOrEmpty(requestId) && requestId.Length > 100)
        {
            throw new ValidationFailedException("request_id", "must be at most 100 characters");
        }

        var requestHash = Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()));
        using var entered = await gate.EnterAsync(cancellationToken);

        if (!string.IsNullOrEmpty(requestId))
        {
            var replay = await FindReplayAsync<TResponse>(method, requestId, requestHash, cancellationToken);
            if (replay is not null)
            {
                return replay;
            }
        }

        audit.RequestId = string.IsNullOrEmpty(requestId) ? null : requestId;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var respond = await work(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var response = respond();
            await audit.AppendPendingAsync(db, cancellationToken);
            if (!string.IsNullOrEmpty(requestId))
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Method = method,
                    RequestId = requestId,
                    RequestHash = requestHash,
                    Response = response.ToByteArray(),
                    CreateTime = time.GetUtcNow().UtcDateTime,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return response;
        }
        catch (DbUpdateConcurrencyException ex)
        {
            await RollBackAsync(transaction);
            var entry = ex.Entries.FirstOrDefault();
            throw new ConcurrentModificationException(entry?.Metadata.ClrType.Name ?? "The resource", null);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            await RollBackAsync(transaction);
            if (!string.IsNullOrEmpty(requestId))
            {
                // Another instance committed the same request_id first: answer with its result.
                var replay = await FindReplayAsync<TResponse>(method, requestId, requestHash, CancellationToken.None);
                if (replay is not null)
                {
                    return replay;
                }
            }

            throw new ResourceAlreadyExistsException(string.Empty, "A resource with the same identity was created at the same time.");
        }
        catch
        {
            await RollBackAsync(transaction);
            throw;
        }
    }

    /// <summary>A system write with no request (the deadline sweeper).</summary>
    public Task ExecuteSystemAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsAsync(CallerIdentity.System, work, cancellationToken);

    private async Task ExecuteAsAsync(CallerIdentity? actingAs, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var entered = await gate.EnterAsync(cancellationToken);
        audit.ActingAs = actingAs;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await work(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendPendingAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await RollBackAsync(transaction);
            throw;
        }
    }

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

    private async Task<TResponse?> FindReplayAsync<TResponse>(string method, string requestId, string requestHash, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var record = await db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Method == method && r.RequestId == requestId, cancellationToken);
        if (record is null)
        {
            return default;
        }

        if (!string.Equals(record.RequestHash, requestHash, StringComparison.Ordinal))
        {
            throw new RequestIdReusedException(requestId);
        }

        var parser = new MessageParser<TResponse>(() => new TResponse());
        return parser.ParseFrom(record.Response);
    }

    private async Task RollBackAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction)
    {
        audit.Discard();
        db.ChangeTracker.Clear();
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already completed or the connection is gone: nothing was committed either way.
        }
    }
}
