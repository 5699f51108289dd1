using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Audit;

/// <summary>Result of walking the audit hash chain.</summary>
public sealed record AuditChainResult(bool Valid, long EventsChecked, long FirstInvalidSequence, string? Problem);

/// <summary>
/// Walks the chain in sequence order and names the first event that was edited (hash mismatch), removed (gap or
/// broken link) or reordered (link to the wrong predecessor).
/// </summary>
public sealed class AuditChain(MhaRightsDbContext db)
{
    private const int BatchSize = 5000;

    public async Task<AuditChainResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var expectedSequence = 1L;
        var previousHash = AuditLog.GenesisHash;
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
                return new AuditChainResult(true, checkedCount, 0, null);
            }

            foreach (var e in batch)
            {
                if (e.Sequence != expectedSequence)
                {
                    return new AuditChainResult(false, checkedCount, expectedSequence, $"event {expectedSequence} is missing (next present is {e.Sequence})");
                }

                if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
                {
                    return new AuditChainResult(false, checkedCount, e.Sequence, $"event {e.Sequence} does not link to event {e.Sequence - 1} (removed or reordered)");
                }

                if (!string.Equals(AuditLog.ComputeHash(e), e.Hash, StringComparison.Ordinal))
                {
                    return new AuditChainResult(false, checkedCount, e.Sequence, $"event {e.Sequence} was edited (its hash does not match its content)");
                }

                previousHash = e.Hash;
                expectedSequence++;
                checkedCount++;
            }
        }
    }
}
