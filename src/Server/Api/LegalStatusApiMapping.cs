using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Rules;
using NodaTime;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>The episode resource with what only the legal calendar knows: lapse, period start, London dates.</summary>
internal static class LegalStatusApiMapping
{
    public static V1.LegalStatusEpisode ToProto(LegalStatusEpisode episode, ProvisionRule rule, DateOnly? dateOfBirth, DateTime now)
    {
        var proto = ProtoMapper.ToProto(episode, rule);
        proto.Lapsed = episode.LapsedTime is not null;
        proto.LapseTime = ProtoMapper.Ts(episode.LapsedTime);
        proto.LapseTimeLocal = LondonTime.Format(episode.LapsedTime);
        proto.PeriodStartTime = ProtoMapper.Ts(episode.PeriodStart);
        var dates = EpisodeCalendar.For(episode, rule, dateOfBirth, now);
        var calendar = new V1.LegalCalendarDates
        {
            LastDay = Date(dates.LastDay),
            RenewalWindowFirstDay = Date(dates.RenewalWindowFirstDay),
        };
        calendar.TribunalWindows.AddRange(dates.TribunalWindows.Select(w => new V1.TribunalApplicationWindow
        {
            Label = w.Label, FirstDay = Date(w.FirstDay), LastDay = Date(w.LastDay),
        }));
        calendar.AutomaticReferenceDates.AddRange(dates.AutomaticReferenceDates.Select(d => Date(d)!));
        proto.Calendar = calendar;
        return proto;
    }

    private static Google.Type.Date? Date(LocalDate? date) =>
        date is { } d ? new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;
}
