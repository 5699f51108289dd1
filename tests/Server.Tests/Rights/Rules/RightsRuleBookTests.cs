using MhaRights.Server.Rights.Rules;
using NodaTime;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

public sealed class RightsRuleBookTests
{
    [Fact]
    public void Section136_StartedIn2016_ExpiresAfter72Hours()
    {
        // §3.1: 72h before 11 Dec 2017. 1 Jun 2016 14:00 BST = 13:00Z -> 4 Jun 13:00Z.
        var start = London(2016, 6, 1, 14);
        var rule = RightsRuleBook.Default.RuleFor(Provision.Section136, start);
        Assert.Equal(Utc(2016, 6, 4, 13), Calendar.ComputeExpiry(rule, start));
        Assert.Null(rule.DurationRule.MaximumExtension);
    }

    [Fact]
    public void Section136_StartedIn2020_ExpiresAfter24Hours()
    {
        var start = London(2020, 6, 1, 14);
        var rule = RightsRuleBook.Default.RuleFor(Provision.Section136, start);
        Assert.Equal(Utc(2020, 6, 2, 13), Calendar.ComputeExpiry(rule, start));
    }

    [Fact]
    public void ForInstant_AroundPolicingAndCrimeActCommencement_SwitchesAtLocalMidnight()
    {
        // 11 Dec 2017 00:00 GMT = 2017-12-11T00:00Z.
        var book = RightsRuleBook.Default;
        Assert.Same(RightsRuleSets.Mha2007, book.ForInstant(Utc(2017, 12, 10, 23, 59)));
        Assert.Same(RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017, book.ForInstant(Utc(2017, 12, 11, 0)));
        Assert.Equal("MHA 1983 as amended by MHA 2007 and Policing and Crime Act 2017", book.ForInstant(Utc(2026, 1, 1, 0)).Name);
    }

    [Fact]
    public void ForInstant_BeforeEarliestSet_Throws()
    {
        Assert.Same(RightsRuleSets.Mha2007, RightsRuleBook.Default.ForInstant(Utc(2008, 11, 3, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RightsRuleBook.Default.ForInstant(Utc(2008, 11, 2, 23, 59)));
    }

    [Fact]
    public void RuleSets_OnlyPlaceOfSafetyRowsDifferBetweenShippedSets()
    {
        var before = RightsRuleSets.Mha2007;
        var after = RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017;
        var changed = Enum.GetValues<Provision>().Where(p => before[p] != after[p]).ToArray();
        Assert.Equal([Provision.Section135, Provision.Section136], changed);
    }

    [Fact]
    public void Constructor_SetsOutOfOrder_SortedByCommencement()
    {
        var book = new RightsRuleBook([RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017, RightsRuleSets.Mha2007]);
        Assert.Equal([RightsRuleSets.Mha2007, RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017], book.RuleSets);
    }

    [Fact]
    public void Constructor_TwoSetsSameCommencement_Throws()
    {
        var clash = new RightsRuleSet("clash", RightsRuleSets.Mha2007.EffectiveFrom, RightsRuleSets.Mha2007.Rules.Values);
        Assert.Throws<ArgumentException>(() => new RightsRuleBook([RightsRuleSets.Mha2007, clash]));
        Assert.Throws<ArgumentException>(() => new RightsRuleBook([]));
    }

    [Fact]
    public void RuleSet_MissingOrDuplicateProvision_Throws()
    {
        var rows = RightsRuleSets.Mha2007.Rules.Values.ToList();
        var effective = Instant.FromUtc(2030, 1, 1, 0, 0);
        Assert.Throws<ArgumentException>(() => new RightsRuleSet("missing", effective, rows.Where(r => r.Provision != Provision.Section2)));
        Assert.Throws<ArgumentException>(() => new RightsRuleSet("duplicate", effective, rows.Append(rows[0])));
    }

    [Fact]
    public void AddingFutureSet_ForInstantAfterCommencement_ReturnsNewSet()
    {
        // How an MHA 2025 change would be added (§1.8): copy rows, change what the commencement order changes.
        var current = RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017;
        var commencement = Calendar.StartOfDay(new LocalDate(2027, 4, 6));
        var future = new RightsRuleSet(
            "hypothetical future set",
            commencement,
            current.Rules.Values.Select(r => r.Provision == Provision.ConditionalDischarge ? r with { Section132_1 = true } : r));
        var book = new RightsRuleBook([.. RightsRuleSets.All, future]);

        Assert.False(book.RuleFor(Provision.ConditionalDischarge, commencement - Duration.FromSeconds(1)).Section132_1);
        Assert.True(book.RuleFor(Provision.ConditionalDischarge, commencement).Section132_1);
    }
}
