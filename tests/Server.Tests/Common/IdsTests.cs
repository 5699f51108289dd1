using MhaRights.Server.Common;
using MhaRights.Server.Reporting.Queries;

namespace MhaRights.Server.Tests.Common;

/// <summary>
/// Resource ids lead with the second they were made, so a new row's id lands at the end of the indexes it keys
/// (Common/Ids); the rest is random, so ids stay unguessable and distinct.
/// </summary>
public sealed class IdsTests
{
    private static readonly DateTime Made = new(2026, 12, 8, 1, 59, 59, DateTimeKind.Utc);

    [Fact]
    public void New_LaterSecond_SortsAfterEveryIdOfTheEarlierOne()
    {
        // Across every second of a long stretch (each of the time part's characters rolls over), in SQLite's BINARY
        // order, which is ordinal: the random part never outweighs the time part.
        var previous = Enumerable.Range(0, 5).Select(_ => Ids.New(Made)).ToList();
        for (var second = 1; second <= 70_000; second += 7)
        {
            var later = Enumerable.Range(0, 5).Select(_ => Ids.New(Made.AddSeconds(second))).ToList();
            Assert.All(later, id => Assert.All(previous, earlier => Assert.True(string.CompareOrdinal(earlier, id) < 0, $"{earlier} !< {id}")));
            previous = later;
        }
    }

    [Fact]
    public void New_YearsApart_SortInTheOrderMade()
    {
        var times = new[] { DateTime.UnixEpoch, new(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), Made, Made.AddYears(100), DateTime.MaxValue };
        var ids = times.Select(Ids.New).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void New_SameSecond_DistinctValidAndPacked()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => Ids.New(Made)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Equal(20, id.Length));
        Assert.All(ids, id => Assert.True(Ids.IsValid(id), id));
        Assert.All(ids, id => Assert.StartsWith(ids[0][..8], id, StringComparison.Ordinal));
        // The report's packed key holds every id the service makes (Reporting/Queries/IdKey).
        Assert.All(ids.Take(1_000), id => Assert.False(IdKey.From(id).IsText, id));
    }

    [Fact]
    public void New_ClockBefore1970_CountsAs1970()
    {
        Assert.Equal(Ids.New(DateTime.UnixEpoch)[..8], Ids.New(new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc))[..8]);
    }

    [Fact]
    public void Random_SameSecond_NoSharedTimePart()
    {
        // An API key's lookup prefix: random throughout, so prefixes made together do not share a leading part.
        var prefixes = Enumerable.Range(0, 2_000).Select(_ => Ids.Random(10)).ToList();

        Assert.All(prefixes, p => Assert.Equal(10, p.Length));
        Assert.All(prefixes, p => Assert.True(Ids.IsValid(p), p));
        Assert.Equal(prefixes.Count, prefixes.Distinct(StringComparer.Ordinal).Count());
        Assert.True(prefixes.Select(p => p[0]).Distinct().Count() > 20, "first characters should be spread over the alphabet");
    }
}
