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

    private static readonly long FirstFastTicks = new DateTime(1000, 1, 2).Ticks;

    private static readonly long LastFastTicks = new DateTime(9999, 12, 30).Ticks;

    public static string Format(DateTime? utc)
    {
        if (utc is null)
        {
            return string.Empty;
        }

        var instant = Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc));
        var interval = Zone.GetZoneInterval(instant);
        var offsetTicks = interval.WallOffset.Ticks;
        var ticks = utc.Value.Ticks + offsetTicks;
        if (ticks < FirstFastTicks || ticks > LastFastTicks)
        {
            // Outside four-digit years the pattern's own rules apply; never reached by real dates.
            return Pattern.Format(instant.InZone(Zone));
        }

        // Same text as Pattern (the 'x' field is the zone interval's abbreviation, e.g. GMT or BST), built without
        // the pattern engine: this runs for every duty, attempt and worklist row the API returns.
        var local = new DateTime(ticks, DateTimeKind.Unspecified);
        return string.Create(19 + interval.Name.Length, (local, interval.Name), static (span, state) =>
        {
            var (t, name) = state;
            Write4(span, t.Year);
            span[4] = '-';
            Write2(span[5..], t.Month);
            span[7] = '-';
            Write2(span[8..], t.Day);
            span[10] = ' ';
            Write2(span[11..], t.Hour);
            span[13] = ':';
            Write2(span[14..], t.Minute);
            span[16] = ' ';
            span[17] = '(';
            name.AsSpan().CopyTo(span[18..]);
            span[^1] = ')';
        });
    }

    private static void Write2(Span<char> span, int value)
    {
        span[0] = (char)('0' + (value / 10));
        span[1] = (char)('0' + (value % 10));
    }

    private static void Write4(Span<char> span, int value)
    {
        Write2(span, value / 100);
        Write2(span[2..], value % 100);
    }
}
