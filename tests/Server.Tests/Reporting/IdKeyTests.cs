using System.Text;
using MhaRights.Server.Common;
using MhaRights.Server.Reporting.Queries;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The report scan's dictionary key for resource ids: equal exactly when the ids are.</summary>
public sealed class IdKeyTests
{
    [Fact]
    public void From_ServiceIds_EqualOnlyToTheSameId()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => Ids.New(new DateTime(2026, 12, 8, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i / 100))).Distinct(StringComparer.Ordinal).ToList();
        var keys = ids.Select(IdKey.From).ToList();

        Assert.Equal(ids.Count, keys.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(IdKey.From(id), IdKey.From(Encoding.UTF8.GetBytes(id))));
        Assert.All(ids, id => Assert.Equal(IdKey.From(id).GetHashCode(), IdKey.From(id).GetHashCode()));
        Assert.All(ids, id => Assert.Equal(id, IdKey.From(id).ToString()));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("z9-0")]
    [InlineData("abcdefghijklmnopqrstu")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789-")]
    [InlineData("Upper")]
    [InlineData("")]
    public void ToString_AnyId_TheIdAgain(string id) => Assert.Equal(id, IdKey.From(id).ToString());

    [Theory]
    [InlineData("a", "aa")]
    [InlineData("a", "a-")]
    [InlineData("9", "99")]
    [InlineData("abcdefghijklmnopqrstu", "abcdefghijklmnopqrstuv")]
    [InlineData("abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuw")]
    [InlineData("patient-0001", "patient-0010")]
    [InlineData("", "a")]
    [InlineData("ABC", "abc")]
    public void From_DifferentIds_NotEqual(string left, string right)
    {
        Assert.NotEqual(IdKey.From(left), IdKey.From(right));
        Assert.Equal(IdKey.From(left), IdKey.From(left));
    }

    [Fact]
    public void Dictionary_PackedAndTextIdsTogether_EachFoundUnderItsOwnId()
    {
        // Imported ids may be longer than the packed form holds (Ids.IsValid allows 63 characters).
        var ids = new[] { "short", "ep-1", new string('x', IdKey.MaxPackedLength), new string('x', IdKey.MaxPackedLength + 1), new string('y', 63), "Upper-Case" };
        var map = ids.Select((id, i) => (id, i)).ToDictionary(p => IdKey.From(p.id), p => p.i);

        Assert.All(ids.Select((id, i) => (id, i)), p => Assert.Equal(p.i, map[IdKey.From(Encoding.UTF8.GetBytes(p.id))]));
        Assert.False(map.ContainsKey(IdKey.From(new string('x', IdKey.MaxPackedLength - 1))));
    }
}
