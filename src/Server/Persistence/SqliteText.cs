using System.Globalization;

namespace MhaRights.Server.Persistence;

/// <summary>Parses the text SQLite stores for the EF model's values (fast paths for EF's own formats), from UTF-8 bytes.</summary>
internal static class SqliteText
{
    /// <summary>A time as EF Core's SQLite provider stores it, so it compares with stored times as text does.</summary>
    public static string Format(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public static DateTime DateTime(string text) => DateTime(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>"yyyy-MM-dd HH:mm:ss" with up to 7 fraction digits (EF Core's SQLite format); anything else through DateTime.Parse.</summary>
    public static DateTime DateTime(ReadOnlySpan<byte> text)
    {
        if (text.Length >= 19 && text[4] == '-' && text[7] == '-' && (text[10] == ' ' || text[10] == 'T') && text[13] == ':' && text[16] == ':'
            && (text.Length == 19 || (text[19] == '.' && text.Length <= 27 && text.Length > 20)))
        {
            var ticks = new System.DateTime(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2), Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2)).Ticks;
            if (text.Length > 20)
            {
                long fraction = Digits(text, 20, text.Length - 20);
                for (var i = text.Length - 20; i < 7; i++)
                {
                    fraction *= 10;
                }

                ticks += fraction;
            }

            return new System.DateTime(ticks);
        }

        return System.DateTime.Parse(System.Text.Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    /// <summary>"yyyy-MM-dd".</summary>
    public static DateOnly Date(ReadOnlySpan<byte> text) =>
        text.Length == 10 && text[4] == '-' && text[7] == '-'
            ? new DateOnly(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2))
            : DateOnly.Parse(System.Text.Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture);

    private static int Digits(ReadOnlySpan<byte> text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                throw new FormatException($"Not a stored date: '{System.Text.Encoding.UTF8.GetString(text)}'.");
            }

            value = (value * 10) + digit;
        }

        return value;
    }
}
