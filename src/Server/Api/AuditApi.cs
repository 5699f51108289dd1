using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.AuditService: read-only; there is no way to change an event through the API.</summary>
public sealed class AuditApi(MhaRightsDbContext db, AuditChain chain, AuditCheckpoints checkpoints) : AuditService.AuditServiceBase
{
    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        v.MaxLength("resource_prefix", request.ResourcePrefix, 300);
        var from = v.Timestamp("period.start_time", request.Period?.StartTime, required: false);
        var to = v.Timestamp("period.end_time", request.Period?.EndTime, required: false);
        if (from is not null && to is not null && to <= from)
        {
            v.Add("period.end_time", "must be after period.start_time");
        }

        v.PageSize(request.PageSize);
        v.ThrowIfInvalid();
        var size = PageTokens.Size(request.PageSize);
        var fingerprint = $"{request.ResourcePrefix}|{from?.Ticks}|{to?.Ticks}";
        var after = PageTokens.Decode(request.PageToken, fingerprint) is { } keys
            ? long.TryParse(keys[0], out var seq) ? seq : throw new ValidationFailedException("page_token", "is not a token returned by this method")
            : 0L;

        var query = db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after);
        if (!string.IsNullOrEmpty(request.ResourcePrefix))
        {
            // "patients/p1" matches the patient and everything under it.
            var prefix = request.ResourcePrefix.TrimEnd('/');
            query = query.Where(e => e.Resource == prefix || e.Resource.StartsWith(prefix + "/"));
        }

        if (from is not null)
        {
            query = query.Where(e => e.EventTime >= from);
        }

        if (to is not null)
        {
            query = query.Where(e => e.EventTime < to);
        }

        var page = await query.OrderBy(e => e.Sequence).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListAuditEventsResponse();
        response.Events.AddRange(page.Take(size).Select(ProtoMapper.ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.Encode(fingerprint, page[size - 1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }

    public override async Task<VerifyAuditChainResponse> VerifyAuditChain(VerifyAuditChainRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        if (request.Checkpoints.Count > 1000)
        {
            v.Add("checkpoints", "must be at most 1000");
        }

        var supplied = new List<Audit.AuditCheckpoint>();
        for (var i = 0; i < request.Checkpoints.Count && i < 1000; i++)
        {
            var c = request.Checkpoints[i];
            var time = v.Timestamp($"checkpoints[{i}].create_time", c.CreateTime, required: true);
            if (c.Sequence <= 0)
            {
                v.Add($"checkpoints[{i}].sequence", "must be positive");
            }

            if (!IsHex64(c.Hash))
            {
                v.Add($"checkpoints[{i}].hash", "must be 64 hex digits");
            }

            if (!IsHex64(c.Signature))
            {
                v.Add($"checkpoints[{i}].signature", "must be 64 hex digits");
            }

            if (time is not null)
            {
                supplied.Add(new Audit.AuditCheckpoint(c.Sequence, c.Hash, time.Value, c.Signature));
            }
        }

        v.ThrowIfInvalid();
        var result = await chain.VerifyAsync(supplied, context.CancellationToken);
        return new VerifyAuditChainResponse
        {
            Valid = result.Valid,
            EventsChecked = result.EventsChecked,
            FirstInvalidSequence = result.FirstInvalidSequence,
            Problem = result.Problem ?? string.Empty,
            Damage = (Contracts.V1.AuditDamage)(int)result.Damage,
            CheckpointsChecked = result.CheckpointsChecked,
        };
    }

    public override async Task<Contracts.V1.AuditCheckpoint> CreateAuditCheckpoint(CreateAuditCheckpointRequest request, ServerCallContext context)
    {
        var checkpoint = await checkpoints.WriteAsync(context.CancellationToken)
            ?? throw new PreconditionFailedException("audit_chain", "The audit trail is empty: there is nothing to checkpoint yet.");
        return new Contracts.V1.AuditCheckpoint
        {
            Sequence = checkpoint.Sequence,
            Hash = checkpoint.Hash,
            CreateTime = ProtoMapper.Ts(checkpoint.Time),
            Signature = checkpoint.Signature,
            Line = checkpoint.ToLine(),
        };
    }

    private static bool IsHex64(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);
}
