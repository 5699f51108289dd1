using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using NodaTime;
using NodaTime.Text;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Times as people in an English trust read and type them: shown in Europe/London with the zone abbreviation (as
/// the server's <c>*_local</c> fields are), typed as London local time unless an offset is given. A local time
/// that does not exist or is ambiguous at a clock change is refused rather than guessed: these are legal records.
/// </summary>
internal static partial class TimeText
{
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static readonly ZonedDateTimePattern DisplayPattern =
        ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm '('x')'", DateTimeZoneProviders.Tzdb);

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss",
        "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss",
    ];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy"];

    /// <summary>"2026-03-29 01:30 (GMT)"; empty for no time.</summary>
    public static string Format(Timestamp? time) =>
        time is null ? string.Empty : DisplayPattern.Format(Instant.FromDateTimeOffset(time.ToDateTimeOffset()).InZone(London));

    /// <summary>The server's <c>*_local</c> text when it sent one, else the timestamp formatted here.</summary>
    public static string Format(string? local, Timestamp? time) => string.IsNullOrEmpty(local) ? Format(time) : local;

    /// <summary>
    /// Parses "now", an ISO 8601 time with an offset ("2026-03-01T10:00Z"), or a London local time
    /// ("2026-03-01 10:00", "01/03/2026 10:00"); with <paramref name="allowDateOnly"/> also a date, meaning the start
    /// of that day in London.
    /// </summary>
    public static DateTimeOffset Parse(string text, string what, TimeProvider clock, bool allowDateOnly = false) =>
        TryParse(text, clock, allowDateOnly, out var value, out var error) ? value : throw CliException.Usage($"{what}: {error}");

    /// <summary>
    /// An expiry: a date alone means to the end of that day in London (23:59:59.999), because "expires 2027-06-30"
    /// should still work on the 30th; a date with a time keeps the time.
    /// </summary>
    public static DateTimeOffset ParseExpiry(string text, string what, TimeProvider clock)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // The next day's start in London less a millisecond: right on the clock-change days too.
            var nextDay = LocalDate.FromDateTime(date).PlusDays(1);
            return London.AtStartOfDay(nextDay).ToDateTimeOffset().ToUniversalTime().AddMilliseconds(-1);
        }

        return Parse(text, what, clock);
    }

    public static bool TryParse(string text, TimeProvider clock, bool allowDateOnly, out DateTimeOffset value, out string error)
    {
        value = default;
        error = string.Empty;
        var trimmed = text.Trim();
        if (trimmed.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            value = clock.GetUtcNow();
            return true;
        }

        if (OffsetSuffix().IsMatch(trimmed))
        {
            if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
            {
                value = value.ToUniversalTime();
                return true;
            }

            error = $"'{text}' is not a valid time";
            return false;
        }

        LocalDateTime local;
        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            local = LocalDateTime.FromDateTime(parsed);
        }
        else if (allowDateOnly && DateTime.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            local = LocalDateTime.FromDateTime(date.Date);
        }
        else
        {
            error = allowDateOnly
                ? $"'{text}' is not a date or time; use for example 2026-03-01, 2026-03-01 14:30 (London time) or 2026-03-01T14:30Z"
                : $"'{text}' is not a time; use for example 2026-03-01 14:30 (London time), 01/03/2026 14:30 or 2026-03-01T14:30Z";
            return false;
        }

        var mapping = London.MapLocal(local);
        switch (mapping.Count)
        {
            case 1:
                value = mapping.Single().ToDateTimeOffset().ToUniversalTime();
                return true;
            case 0:
                error = $"'{text}' does not exist in London (the clocks went forward); give the time with an offset, for example {local.Date:uuuu-MM-dd}T{local.TimeOfDay:HH:mm}+00:00";
                return false;
            default:
                error = $"'{text}' happened twice in London (the clocks went back); add +01:00 for the first (BST) or +00:00 for the second (GMT)";
                return false;
        }
    }

    /// <summary>Parses a calendar date (2026-03-01 or 01/03/2026).</summary>
    public static bool TryParseDate(string text, out Google.Type.Date date)
    {
        date = new Google.Type.Date();
        if (!DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        date = new Google.Type.Date { Year = parsed.Year, Month = parsed.Month, Day = parsed.Day };
        return true;
    }

    public static string FormatDate(Google.Type.Date? date) =>
        date is null || date.Year == 0 ? string.Empty : $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}";

    public static Timestamp ToTimestamp(DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex OffsetSuffix();
}
