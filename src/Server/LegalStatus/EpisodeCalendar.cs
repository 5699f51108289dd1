using MhaRights.Server.Rights.Rules;
using NodaTime;

namespace MhaRights.Server.LegalStatus;

/// <summary>One tribunal application window as London calendar days (both inclusive).</summary>
public sealed record TribunalWindowDays(string Label, LocalDate FirstDay, LocalDate LastDay);

/// <summary>An episode's legal calendar as London dates, for the ward: what an EPR shows ("last day to apply: 18 Dec").</summary>
public sealed record EpisodeDates(
    LocalDate? LastDay,
    LocalDate? RenewalWindowFirstDay,
    IReadOnlyList<TribunalWindowDays> TribunalWindows,
    IReadOnlyList<LocalDate> AutomaticReferenceDates)
{
    public static EpisodeDates Empty { get; } = new(null, null, [], []);
}

/// <summary>
/// Computes <see cref="EpisodeDates"/> from the rule row and <see cref="LegalCalendar"/> (the same arithmetic that
/// sets expiry and schedules re-explanations), counted from the episode's period start (s4 -> s2: the s4 admission).
/// </summary>
public static class EpisodeCalendar
{
    /// <summary>Provisions without a fixed end show windows and references this far ahead.</summary>
    private static readonly Period IndefiniteHorizon = Period.FromYears(1);

    public static EpisodeDates For(LegalStatusEpisode episode, ProvisionRule rule, DateOnly? dateOfBirth, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentNullException.ThrowIfNull(rule);
        var calendar = LegalCalendar.EnglandAndWales;
        Instant? expiry = episode.ExpiryTime is { } e ? Instant.FromDateTimeUtc(e) : null;
        LocalDate? lastDay = expiry is { } x ? LastDayBefore(calendar, x) : null;
        if (!episode.IsOpen || episode.LapsedTime is not null)
        {
            // Over (or lapsed): nothing more can be applied for or renewed under it.
            return EpisodeDates.Empty with { LastDay = lastDay };
        }

        LocalDate? renewalFirst = rule.Renewal is not null && expiry is { } r
            ? calendar.LocalDateOf(calendar.PlusLocal(r, Period.FromMonths(-2)))
            : null;
        var start = Instant.FromDateTimeUtc(episode.PeriodStart);
        var nowInstant = Instant.FromDateTimeUtc(now);
        var until = expiry ?? calendar.PlusLocal(nowInstant, IndefiniteHorizon);
        var windows = calendar.ComputeTribunalWindows(rule, start, until)
            .Where(w => w.Closes > nowInstant)
            .Select(w => new TribunalWindowDays(w.Label, calendar.LocalDateOf(w.Opens), LastDayBefore(calendar, w.Closes)))
            .ToList();
        var birth = dateOfBirth is { } d ? new LocalDate(d.Year, d.Month, d.Day) : new LocalDate(1900, 1, 1);
        var references = rule.AutomaticReferences.HasAny
            ? calendar.ComputeAutomaticReferenceDates(rule, start, null, birth)
                .Where(i => i >= nowInstant && i < until)
                .Select(calendar.LocalDateOf)
                .ToList()
            : [];
        return new EpisodeDates(lastDay, renewalFirst, windows, references);
    }

    // Ends are exclusive instants: the last day is the London day of the instant just before.
    private static LocalDate LastDayBefore(LegalCalendar calendar, Instant exclusiveEnd) =>
        calendar.LocalDateOf(exclusiveEnd - Duration.Epsilon);
}
