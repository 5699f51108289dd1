using System.Text;
using MhaRights.Server.Common;
using MhaRights.Server.Reporting.Queries;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The report scan's positions by id: each id finds the position it was given, and no other id finds one.</summary>
public sealed class IdIndexTests
{
    private static readonly DateTime MadeFrom = new(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0)]
    [InlineData(50_000)]
    public void Set_ServiceIds_EachFoundAtItsPosition(int capacity)
    {
        // Capacity 0 makes the table grow many times over. Ids made over a few minutes share their time part, as a
        // day's ids do: the hash must spread them by the random part.
        var ids = Enumerable.Range(0, 50_000).Select(i => Ids.New(MadeFrom.AddSeconds(i / 200))).Distinct(StringComparer.Ordinal).ToList();
        var index = new IdIndex(capacity);
        for (var i = 0; i < ids.Count; i++)
        {
            index.Set(IdKey.From(ids[i]), i);
        }

        Assert.Equal(ids.Count, index.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.True(index.TryGetValue(IdKey.From(Encoding.UTF8.GetBytes(ids[i])), out var position));
            Assert.Equal(i, position);
        }

        Assert.All(Enumerable.Range(0, 1_000).Select(i => Ids.New(MadeFrom.AddSeconds(i))).Except(ids), id => Assert.False(index.ContainsKey(IdKey.From(id))));
    }

    [Fact]
    public void Set_PackedAndTextIds_EachFoundUnderItsOwnId()
    {
        // Imported ids may be longer than the packed form holds, or use other characters: kept as text.
        var ids = new[] { "short", "ep-1", string.Empty, new string('x', IdKey.MaxPackedLength), new string('x', IdKey.MaxPackedLength + 1), new string('y', 63), "Upper-Case" };
        var index = new IdIndex();
        for (var i = 0; i < ids.Length; i++)
        {
            index.Set(IdKey.From(ids[i]), i);
        }

        Assert.All(ids.Select((id, i) => (id, i)), p => Assert.True(index.TryGetValue(IdKey.From(p.id), out var at) && at == p.i));
        Assert.False(index.ContainsKey(IdKey.From(new string('x', IdKey.MaxPackedLength - 1))));
        Assert.False(index.ContainsKey(IdKey.From("upper-case")));
        Assert.Equal(ids.Length, index.Count);
    }

    [Fact]
    public void Set_SameIdAgain_PositionReplaced()
    {
        var index = new IdIndex(4);
        index.Set(IdKey.From("episode-a"), 1);
        index.Set(IdKey.From("episode-a"), 7);

        Assert.True(index.TryGetValue(IdKey.From("episode-a"), out var position));
        Assert.Equal(7, position);
        Assert.Equal(1, index.Count);
    }
}
