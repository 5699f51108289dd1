using MhaRights.Server.Common;
using NodaTime;
using NodaTime.Text;

namespace MhaRights.Server.Adjustments;

/// <summary>
/// Configuration section "Adjustments". ReviewInterval is an ISO-8601 period (default "P12M"). The domain notes give
/// no interval: review is a named stage of DAPB1605 and the RADF (§3.5, §6) but no national element holds a date, so
/// scheduling is local; a yearly review matches the annual cycle trusts use for care-plan and AIS reviews, and a
/// trust may shorten it.
/// </summary>
public sealed class AdjustmentPolicy
{
    public const string SectionName = "Adjustments";

    /// <summary>The longest review horizon a caller may set explicitly (proto: at most 3 years ahead).</summary>
    public static readonly Period MaxReviewHorizon = Period.FromYears(3);

    public AdjustmentPolicy(Period reviewInterval)
    {
        if (!IsPositive(reviewInterval))
        {
            throw new InvalidOperationException($"{SectionName}:ReviewInterval must be a positive period of at most 3 years, e.g. P12M.");
        }

        ReviewInterval = reviewInterval;
    }

    public Period ReviewInterval { get; }

    public static AdjustmentPolicy From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration.GetSection(SectionName)["ReviewInterval"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AdjustmentPolicy(Period.FromMonths(12));
        }

        var parsed = PeriodPattern.NormalizingIso.Parse(text.Trim());
        return parsed.Success
            ? new AdjustmentPolicy(parsed.Value)
            : throw new InvalidOperationException($"{SectionName}:ReviewInterval '{text}' is not an ISO-8601 period such as P12M or P6M.");
    }

    /// <summary>The default next review: now plus the interval on the Europe/London calendar (so 09:00 stays 09:00 across BST).</summary>
    public DateTime NextReview(DateTime nowUtc) => Plus(nowUtc, ReviewInterval);

    /// <summary>The latest review date a caller may choose.</summary>
    public static DateTime Horizon(DateTime nowUtc) => Plus(nowUtc, MaxReviewHorizon);

    private static DateTime Plus(DateTime utc, Period period)
    {
        var local = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(LondonTime.Zone).LocalDateTime;
        return local.Plus(period).InZoneLeniently(LondonTime.Zone).ToDateTimeUtc();
    }

    private static bool IsPositive(Period period)
    {
        var start = new LocalDateTime(2026, 1, 1, 0, 0);
        var end = start.Plus(period);
        return end > start && end <= start.Plus(MaxReviewHorizon);
    }
}
