using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Audit;

/// <summary>What a change records; the actor and time are filled in by the log.</summary>
public sealed record AuditEntry(
    string Action,
    string Resource,
    string? PatientId = null,
    string? FromState = null,
    string? ToState = null,
    string? Trigger = null,
    string? Reason = null,
    string? DetailsJson = null);

/// <summary>The chain's last event: its sequence and hash (what the next event links to).</summary>
public sealed record AuditTail(long Sequence, string Hash);

/// <summary>
/// Collects the audit events of one unit of work and appends them, hash-chained, in the same transaction as the
/// change they describe — so a change is never committed without its audit trail, nor the other way round.
/// The chain hash is keyed (AuditChainKey); appending costs one read of the chain tail and one HMAC per event.
/// </summary>
public sealed class AuditLog(ICallerContext caller, TimeProvider time, AuditChainKey? chainKey = null, AuditCheckpoints? checkpoints = null)
{
    private bool _checkpointDue;

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly List<AuditEntry> _pending = [];

    /// <summary>Overrides the caller (the deadline sweeper acts as the system).</summary>
    public CallerIdentity? ActingAs { get; set; }

    public string? RequestId { get; set; }

    public IReadOnlyList<AuditEntry> Pending => _pending;

    public void Record(AuditEntry entry) => _pending.Add(entry);

    public void Discard()
    {
        _pending.Clear();
        _checkpointDue = false;
    }

    /// <summary>Called once the transaction that appended the events is committed: asks for a checkpoint when the
    /// chain crossed a multiple of Audit:CheckpointEvery (written in the background, off the request path).</summary>
    public void Committed()
    {
        if (_checkpointDue)
        {
            _checkpointDue = false;
            checkpoints?.Request();
        }
    }

    /// <summary>Writes the pending events with their sequence numbers and chained hashes.
    /// Must run inside the write transaction (under the write gate). With <paramref name="unit"/> (SQLite's single
    /// writer) the tail comes from, and goes back to, the writer's memory when it has one.</summary>
    public async Task AppendPendingAsync(MhaRightsDbContext db, CancellationToken cancellationToken, WriteUnit? unit = null)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var last = unit?.AuditTail;
        if (last is null)
        {
            // Other server processes append too: read the tail only once theirs is committed (no-op on SQLite).
            await db.LockAuditTailAsync(cancellationToken);
            last = await LastEvent.For(db)(db);
        }

        var key = chainKey ?? throw new InvalidOperationException("No audit chain key is configured.");
        var sequence = last?.Sequence ?? 0;
        var every = checkpoints?.Every ?? long.MaxValue;
        var firstBlock = sequence / every;
        var previousHash = last?.Hash ?? GenesisHash;
        var actor = ActingAs ?? caller.Caller;
        // Whole microseconds: the finest time PostgreSQL stores, so the hash of what is read back matches.
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));

        var events = new List<AuditEvent>(_pending.Count);
        foreach (var entry in _pending)
        {
            var evt = new AuditEvent
            {
                Sequence = ++sequence,
                EventTime = now,
                ActorPrincipal = actor.Principal,
                ActorRole = actor.Role,
                ActorDisplayName = actor.DisplayName,
                Action = entry.Action,
                Resource = entry.Resource,
                PatientId = entry.PatientId,
                FromState = entry.FromState,
                ToState = entry.ToState,
                Trigger = entry.Trigger,
                Reason = entry.Reason,
                RequestId = RequestId,
                DetailsJson = entry.DetailsJson,
                PreviousHash = previousHash,
                Hash = string.Empty,
            };
            evt.Hash = key.Hash(evt);
            previousHash = evt.Hash;
            events.Add(evt);
        }

        // Written now, in the unit's transaction, as multi-row INSERTs: never tracked, so never updated or deleted.
        await BulkInsert.InsertAsync(db, events, cancellationToken);
        _pending.Clear();
        _checkpointDue |= sequence / every != firstBlock;
        if (unit is not null)
        {
            unit.AuditTail = new AuditTail(sequence, previousHash);
        }
    }

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, Task<AuditTail?>>> LastEvent = new(() => EF.CompileAsyncQuery(
        (MhaRightsDbContext db) => db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new AuditTail(e.Sequence, e.Hash))
            .FirstOrDefault()));

    /// <summary>
    /// Unkeyed SHA-256 of the canonical form, for synthetic datasets (bench) only: the server's chain is keyed
    /// (AuditChainKey.Hash), and events hashed this way do not verify.
    /// </summary>
    public static string ComputeHash(AuditEvent e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    /// <summary>Every recorded field and the previous hash, in a fixed order, unit-separated.</summary>
    public static string Canonical(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Join('\u001f',
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.PreviousHash,
            e.EventTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
            e.ActorPrincipal,
            e.ActorRole,
            e.ActorDisplayName ?? string.Empty,
            e.Action,
            e.Resource,
            e.PatientId ?? string.Empty,
            e.FromState ?? string.Empty,
            e.ToState ?? string.Empty,
            e.Trigger ?? string.Empty,
            e.Reason ?? string.Empty,
            e.RequestId ?? string.Empty,
            e.DetailsJson ?? string.Empty);
    }
}
