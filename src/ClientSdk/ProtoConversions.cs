using Google.Protobuf.WellKnownTypes;

namespace MhaRights.Client;

/// <summary>
/// Conversions between the contract's protobuf time types and .NET's, for reading responses (legal calendar dates,
/// deadlines) in <see cref="DateOnly"/> and <see cref="DateTimeOffset"/>.
/// </summary>
public static class ProtoConversions
{
    /// <summary>A calendar date (e.g. a legal calendar's last day, a date of birth) as a <see cref="DateOnly"/>.</summary>
    /// <param name="date">A full date; <see langword="null"/> (unset) gives <see langword="null"/>.</param>
    /// <returns>The date, or <see langword="null"/> when unset.</returns>
    /// <exception cref="ArgumentException">The date has no year, month or day (a partial date).</exception>
    public static DateOnly? ToDateOnly(this Google.Type.Date? date)
    {
        if (date is null)
        {
            return null;
        }

        if (date.Year == 0 || date.Month == 0 || date.Day == 0)
        {
            throw new ArgumentException($"Partial date {date.Year:D4}-{date.Month:D2}-{date.Day:D2} has no DateOnly equivalent.", nameof(date));
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>A <see cref="DateOnly"/> as the contract's calendar date.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The protobuf date.</returns>
    public static Google.Type.Date ToDate(this DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>An instant (a deadline, an attempt time), or <see langword="null"/> when the field is unset.</summary>
    /// <param name="timestamp">The protobuf timestamp, or <see langword="null"/>.</param>
    /// <returns>The instant in UTC, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ToDateTimeOffsetOrNull(this Timestamp? timestamp) => timestamp?.ToDateTimeOffset();
}
