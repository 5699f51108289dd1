using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// How long an authority lasts from its start. Exactly one of <see cref="Elapsed"/> and <see cref="Calendar"/>
/// is set, or neither (no fixed end, e.g. s37/41).
/// </summary>
public sealed record DurationRule
{
    private DurationRule(Duration? elapsed, Period? calendar, Duration? maximumExtension)
    {
        Elapsed = elapsed;
        Calendar = calendar;
        MaximumExtension = maximumExtension;
    }

    /// <summary>A length the law states in hours: counted as real elapsed time from the start instant (s4, s5, s135/136, s17E).</summary>
    public Duration? Elapsed { get; }

    /// <summary>
    /// A length the law states in days, weeks or months "beginning with" the start day: counted in Europe/London
    /// local dates, so the start day is day 1 whatever the time of admission.
    /// </summary>
    public Period? Calendar { get; }

    /// <summary>Informational: the longest extension the statute allows beyond the base length (s136B: 12 hours).</summary>
    public Duration? MaximumExtension { get; }

    /// <summary>True when the authority has no fixed end date.</summary>
    public bool IsIndefinite => Elapsed is null && Calendar is null;

    public static DurationRule Indefinite { get; } = new(null, null, null);

    public static DurationRule Hours(int hours, int maximumExtensionHours = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        ArgumentOutOfRangeException.ThrowIfNegative(maximumExtensionHours);
        return new(
            Duration.FromHours(hours),
            null,
            maximumExtensionHours == 0 ? null : Duration.FromHours(maximumExtensionHours));
    }

    public static DurationRule BeginningWithDay(Period length)
    {
        ArgumentNullException.ThrowIfNull(length);
        if (length.HasTimeComponent || length.Equals(Period.Zero))
        {
            throw new ArgumentException("A calendar length must be a non-zero number of days, weeks, months or years.", nameof(length));
        }

        return new(null, length, null);
    }
}
