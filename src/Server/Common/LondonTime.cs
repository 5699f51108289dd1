using NodaTime;
using NodaTime.Text;

namespace MhaRights.Server.Common;

/// <summary>
/// Times are stored in UTC and shown to people in Europe/London, with the zone abbreviation so that the
/// ambiguous hour at the October clock change is still readable.
/// </summary>
public static class LondonTime
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static readonly ZonedDateTimePattern Pattern =
        ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm '('x')'", DateTimeZoneProviders.Tzdb);

    public static string Format(DateTime? utc) =>
        utc is null ? string.Empty : Pattern.Format(Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc)).InZone(Zone));
}
