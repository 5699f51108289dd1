using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Rights;

/// <summary>One row of an episode worklist: the episode, its patient, the time that orders it and why it is listed.</summary>
public sealed record AuthorityWorklistRow(LegalStatusEpisode Episode, string PatientLocalId, string PatientDisplayName, DateTime ActionTime, string Reason);

/// <summary>
/// MHA-office worklists of authorities rather than duties: those that lapsed with nothing recorded, and those that
/// expire or fall due for renewal within N days (section-132.md §3.1, §8.4). Ordered by the lapse or expiry time,
/// then id, keyset-paginated like the duty worklists.
/// </summary>
public sealed class AuthorityWorklists(MhaRightsDbContext db, RightsLifecycle rights)
{
    private readonly LegalCalendar _calendar = LegalCalendar.EnglandAndWales;

    public async Task<IReadOnlyList<AuthorityWorklistRow>> ListAsync(
        WorklistKind kind, string? hospital, string? ward, int withinDays, DateTime now, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        var episodes = db.Episodes.AsNoTracking().Where(e => e.State == EpisodeState.Active || e.State == EpisodeState.Recalled);
        if (hospital is not null)
        {
            episodes = episodes.Where(e => e.Hospital == hospital);
        }

        if (ward is not null)
        {
            episodes = episodes.Where(e => e.Ward == ward);
        }

        var byLapse = kind == WorklistKind.LapsedAuthorities;
        switch (kind)
        {
            case WorklistKind.LapsedAuthorities:
                episodes = episodes.Where(e => e.LapsedTime != null);
                break;
            case WorklistKind.AuthoritiesExpiring:
                // Up to the end of the London day N days ahead, so "within 7 days" includes the whole of day 7.
                var horizon = _calendar.StartOfDay(_calendar.LocalDateOf(Instant.FromDateTimeUtc(now)).PlusDays(withinDays + 1)).ToDateTimeUtc();
                episodes = episodes.Where(e => e.LapsedTime == null && e.ExpiryTime != null && e.ExpiryTime > now && e.ExpiryTime < horizon);
                break;
            default:
                throw new KeyNotFoundException($"{kind} is not an episode worklist.");
        }

        var query = episodes.Join(db.Patients, e => e.PatientId, p => p.Id, (e, p) => new Hit
        {
            Episode = e, Time = byLapse ? e.LapsedTime : e.ExpiryTime, LocalId = p.LocalId, GivenName = p.GivenName, FamilyName = p.FamilyName,
        });
        if (after is { } position)
        {
            var (time, id) = position;
            query = query.Where(h => h.Time > time || (h.Time == time && string.Compare(h.Episode.Id, id) > 0));
        }

        var hits = await query.OrderBy(h => h.Time).ThenBy(h => h.Episode.Id).Take(take).ToListAsync(cancellationToken);
        return hits.Select(h => new AuthorityWorklistRow(
            h.Episode, h.LocalId, Worklists.DisplayName(h.GivenName, h.FamilyName), h.Time!.Value, Reason(kind, h.Episode))).ToList();
    }

    private string Reason(WorklistKind kind, LegalStatusEpisode episode)
    {
        var rule = rights.RuleFor(episode.Provision, episode.StartTime);
        return kind == WorklistKind.LapsedAuthorities
            ? $"{rule.DisplayName} lapsed {LondonTime.Format(episode.LapsedTime)} with no renewal, change of provision or end recorded: the patient may be held without authority."
            : rule.Renewal is null
                ? $"{rule.DisplayName} expires {LondonTime.Format(episode.ExpiryTime)} and cannot be renewed."
                : $"{rule.DisplayName} is due for renewal by {LondonTime.Format(episode.ExpiryTime)} (renewal {episode.RenewalCount + 1}).";
    }

    // Settable members, not a positional record: EF Core orders by a projection's members only through bindings.
    private sealed class Hit
    {
        public required LegalStatusEpisode Episode { get; init; }

        public DateTime? Time { get; init; }

        public required string LocalId { get; init; }

        public string? GivenName { get; init; }

        public string? FamilyName { get; init; }
    }
}
