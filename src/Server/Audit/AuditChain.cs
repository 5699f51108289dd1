using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Audit;

/// <summary>The kind of damage verification found (VerifyAuditChainResponse.damage).</summary>
public enum AuditDamage
{
    None,

    /// <summary>An event's content no longer matches its keyed hash.</summary>
    Edited,

    /// <summary>A sequence number is absent (an event in the middle was deleted).</summary>
    Missing,

    /// <summary>An event does not link to its predecessor (moved or replaced).</summary>
    Reordered,

    /// <summary>The newest events were deleted: a signed checkpoint names a sequence beyond the last event.</summary>
    Truncated,

    /// <summary>Every event was deleted while a signed checkpoint says there were some.</summary>
    DeletedAll,

    /// <summary>The chain verifies under the key but differs from a signed checkpoint (rewritten with the key).</summary>
    Rewritten,

    /// <summary>A checkpoint (in the log or supplied by the auditor) is not signed by this server's key.</summary>
    BadSignature,
}

/// <summary>Result of walking the audit hash chain.</summary>
public sealed record AuditChainResult(bool Valid, long EventsChecked, long FirstInvalidSequence, string? Problem, AuditDamage Damage = AuditDamage.None, int CheckpointsChecked = 0);

/// <summary>
/// Walks the keyed chain in sequence order and names the first event that was edited (hash mismatch), removed (gap)
/// or reordered (link to the wrong predecessor); then holds the chain against the signed checkpoints (the log's and
/// any the auditor kept), which is what detects deletion of the newest events or of all of them.
/// </summary>
public sealed class AuditChain(MhaRightsDbContext db, AuditChainKey key, AuditCheckpoints checkpoints)
{
    private const int BatchSize = 5000;

    /// <summary>Where a walk ended: the result, the last event seen and whether the start event was found.</summary>
    internal sealed record Walk(AuditChainResult Result, long LastSequence, string LastHash, bool? StartFound);

    public async Task<AuditChainResult> VerifyAsync(IEnumerable<AuditCheckpoint> supplied, CancellationToken cancellationToken)
    {
        var (logged, unreadable) = checkpoints.ReadAll();
        if (unreadable.Count > 0)
        {
            return new AuditChainResult(false, 0, 0, $"the checkpoint log {checkpoints.FilePath} has a line that is not a checkpoint (edited?)", AuditDamage.BadSignature);
        }

        var all = logged.Concat(supplied).ToList();
        if (all.FirstOrDefault(c => !key.Verify(c.Sequence, c.Hash, c.Time, c.Signature)) is { } forged)
        {
            return new AuditChainResult(false, 0, forged.Sequence, $"the checkpoint at sequence {forged.Sequence} is not signed by this server's chain key", AuditDamage.BadSignature, all.Count);
        }

        var expected = new Dictionary<long, string>();
        foreach (var c in all)
        {
            expected[c.Sequence] = c.Hash;
        }

        var walk = await WalkAsync(db, key, 0, AuditLog.GenesisHash, expected, cancellationToken);
        if (!walk.Result.Valid)
        {
            return walk.Result with { CheckpointsChecked = all.Count };
        }

        var newest = all.Count == 0 ? 0 : all.Max(c => c.Sequence);
        if (newest > walk.LastSequence)
        {
            return walk.LastSequence == 0
                ? new AuditChainResult(false, 0, 1, $"the audit trail is empty but a signed checkpoint records {newest} events: every event was deleted", AuditDamage.DeletedAll, all.Count)
                : new AuditChainResult(false, walk.Result.EventsChecked, walk.LastSequence + 1,
                    $"events {walk.LastSequence + 1} to {newest} were removed from the end (a signed checkpoint records event {newest})", AuditDamage.Truncated, all.Count);
        }

        return walk.Result with { CheckpointsChecked = all.Count };
    }

    /// <summary>
    /// Verifies the events after <paramref name="afterSequence"/>, the first linking to <paramref name="afterHash"/>;
    /// <paramref name="expected"/> are checkpointed hashes by sequence. With afterSequence &gt; 0 the event at it is
    /// checked to still carry afterHash (StartFound).
    /// </summary>
    internal static async Task<Walk> WalkAsync(MhaRightsDbContext db, AuditChainKey key, long afterSequence, string afterHash, IReadOnlyDictionary<long, string>? expected, CancellationToken cancellationToken)
    {
        bool? startFound = null;
        if (afterSequence > 0)
        {
            var start = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == afterSequence).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken);
            startFound = string.Equals(start, afterHash, StringComparison.Ordinal);
        }

        var expectedSequence = afterSequence + 1;
        var previousHash = afterHash;
        var checkedCount = 0L;
        while (true)
        {
            var from = expectedSequence;
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return new Walk(new AuditChainResult(true, checkedCount, 0, null), expectedSequence - 1, previousHash, startFound);
            }

            foreach (var e in batch)
            {
                var problem = Check(e, expectedSequence, previousHash, key, expected);
                if (problem is { } p)
                {
                    return new Walk(new AuditChainResult(false, checkedCount, p.Sequence, p.Text, p.Damage), expectedSequence - 1, previousHash, startFound);
                }

                previousHash = e.Hash;
                expectedSequence++;
                checkedCount++;
            }
        }
    }

    private static (long Sequence, string Text, AuditDamage Damage)? Check(AuditEvent e, long expectedSequence, string previousHash, AuditChainKey key, IReadOnlyDictionary<long, string>? expected)
    {
        if (e.Sequence != expectedSequence)
        {
            return (expectedSequence, $"event {expectedSequence} is missing (next present is {e.Sequence})", AuditDamage.Missing);
        }

        if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            return (e.Sequence, $"event {e.Sequence} does not link to event {e.Sequence - 1} (removed or reordered)", AuditDamage.Reordered);
        }

        if (!string.Equals(key.Hash(e), e.Hash, StringComparison.Ordinal))
        {
            return (e.Sequence, $"event {e.Sequence} was edited (its hash does not match its content)", AuditDamage.Edited);
        }

        if (expected is not null && expected.TryGetValue(e.Sequence, out var signed) && !string.Equals(signed, e.Hash, StringComparison.Ordinal))
        {
            return (e.Sequence, $"event {e.Sequence} differs from the signed checkpoint at that sequence (the chain was rewritten)", AuditDamage.Rewritten);
        }

        return null;
    }
}
