using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.AuditService: read-only; there is no way to change an event through the API.</summary>
public sealed class AuditApi(MhaRightsDbContext db, AuditChain chain) : AuditService.AuditServiceBase
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
        var result = await chain.VerifyAsync(context.CancellationToken);
        return new VerifyAuditChainResponse
        {
            Valid = result.Valid,
            EventsChecked = result.EventsChecked,
            FirstInvalidSequence = result.FirstInvalidSequence,
            Problem = result.Problem ?? string.Empty,
        };
    }
}
