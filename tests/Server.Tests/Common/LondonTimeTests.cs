using MhaRights.Server.Common;
using NodaTime;
using NodaTime.Text;

namespace MhaRights.Server.Tests.Common;

/// <summary>LondonTime.Format builds its text by hand for speed; it must say exactly what the NodaTime pattern says.</summary>
public sealed class LondonTimeTests
{
    private static readonly ZonedDateTimePattern Reference =
        ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm '('x')'", DateTimeZoneProviders.Tzdb);

    [Theory]
    [InlineData("2026-03-29T00:59:59Z", "2026-03-29 00:59 (GMT)")]
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29 02:00 (BST)")]
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25 01:30 (BST)")]
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25 01:30 (GMT)")]
    [InlineData("2026-12-31T23:59:00Z", "2026-12-31 23:59 (GMT)")]
    [InlineData("2026-07-01T23:05:00Z", "2026-07-02 00:05 (BST)")]
    public void Format_AroundClockChanges_ShowsLocalTimeAndAbbreviation(string utc, string expected)
    {
        var value = DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(expected, LondonTime.Format(value));
    }

    [Fact]
    public void Format_Null_IsEmpty() => Assert.Equal(string.Empty, LondonTime.Format(null));

    [Fact]
    public void Format_ManyInstantsFrom1800To2100_MatchesNodaTimePattern()
    {
        var random = new Random(132);
        var from = new DateTime(1800, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var to = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        for (var i = 0; i < 20_000; i++)
        {
            AssertSame(new DateTime(random.NextInt64(from, to), DateTimeKind.Utc));
        }

        // Every minute across both 2026 clock changes, including the repeated October hour.
        foreach (var start in new[] { new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 24, 23, 0, 0, DateTimeKind.Utc) })
        {
            for (var minute = 0; minute < 4 * 60; minute++)
            {
                AssertSame(start.AddMinutes(minute).AddSeconds(59));
            }
        }
    }

    [Fact]
    public void Format_UnspecifiedKind_IsTreatedAsUtc()
    {
        var unspecified = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal("2026-06-01 13:00 (BST)", LondonTime.Format(unspecified));
    }

    [Fact]
    public void Format_ExtremeYears_MatchesNodaTimePattern()
    {
        AssertSame(new DateTime(999, 12, 31, 23, 0, 0, DateTimeKind.Utc));
        AssertSame(new DateTime(9999, 12, 31, 22, 0, 0, DateTimeKind.Utc));
    }

    private static void AssertSame(DateTime utc) =>
        Assert.Equal(Reference.Format(Instant.FromDateTimeUtc(utc).InZone(LondonTime.Zone)), LondonTime.Format(utc));
}
