using MhaRights.Server.Rights.Rules;
using NodaTime;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

/// <summary>§3.3: s68(2) 6-month reference; s68(6) 3 years (1 year under 18); s71(2) 3 years for restricted patients.</summary>
public sealed class AutomaticReferenceTests
{
    private static readonly LocalDate Adult = new(1990, 5, 5);

    [Fact]
    public void Section3_NeverHeard_SixMonthThenThreeYearReference()
    {
        // Admitted 1 Mar 2026: s68(2) at 1 Sep 2026 00:00 BST; s68(6) counted from the applicable day: 1 Mar 2029 (GMT).
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.Section3), London(2026, 3, 1, 10), null, Adult);
        Assert.Equal([Utc(2026, 8, 31, 23), Utc(2029, 3, 1, 0)], dates);
    }

    [Fact]
    public void Section3_HeardAfterSixMonths_ThreeYearsFromHearing()
    {
        // Heard 20 May 2027 -> 20 May 2030 00:00 BST = 2030-05-19T23:00Z.
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.Section3), London(2026, 3, 1, 10), London(2027, 5, 20, 14), Adult);
        Assert.Equal([Utc(2026, 8, 31, 23), Utc(2030, 5, 19, 23)], dates);
    }

    [Fact]
    public void Section3_HeardWithinFirstSixMonths_NoSixMonthReference()
    {
        // s68(3): heard 1 May 2026 -> no s68(2) reference; s68(6) 1 May 2029 00:00 BST = 2029-04-30T23:00Z.
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.Section3), London(2026, 3, 1, 10), London(2026, 5, 1, 10), Adult);
        Assert.Equal([Utc(2029, 4, 30, 23)], dates);
    }

    [Fact]
    public void Section3_Under18AtOneYearMark_OneYearReference()
    {
        // Born 1 Jan 2010; heard 15 Jun 2026 -> on 15 Jun 2027 aged 17: due 15 Jun 2027 00:00 BST.
        var dates = Calendar.ComputeAutomaticReferenceDates(
            Rule(Provision.Section3), London(2026, 3, 1, 10), London(2026, 6, 15, 11), new LocalDate(2010, 1, 1));
        Assert.Equal([Utc(2027, 6, 14, 23)], dates);
    }

    [Fact]
    public void Section3_Turns18BeforeOneYearMark_ThreeYearReference()
    {
        // Born 10 Mar 2009: 18 on 10 Mar 2027, before 15 Jun 2027 -> 3 years: 15 Jun 2029 00:00 BST.
        var dates = Calendar.ComputeAutomaticReferenceDates(
            Rule(Provision.Section3), London(2026, 3, 1, 10), London(2026, 6, 15, 11), new LocalDate(2009, 3, 10));
        Assert.Equal([Utc(2029, 6, 14, 23)], dates);
    }

    [Fact]
    public void Section3_Turns18OnOneYearMark_HasAttained18SoThreeYears()
    {
        var dates = Calendar.ComputeAutomaticReferenceDates(
            Rule(Provision.Section3), London(2026, 3, 1, 10), London(2026, 6, 15, 11), new LocalDate(2009, 6, 15));
        Assert.Equal([Utc(2029, 6, 14, 23)], dates);
    }

    [Fact]
    public void LeapDayBirthday_EighteenthTakenAsFirstMarch_StillUnder18On28February()
    {
        // [verify] Born 29 Feb 2008 -> 18 on 1 Mar 2026. Heard 28 Feb 2025; 1-year mark 28 Feb 2026: still 17.
        // (The s68(2) date, 10 Jul 2024 00:00 BST, stays: the hearing came after it.)
        var dates = Calendar.ComputeAutomaticReferenceDates(
            Rule(Provision.Section3), Utc(2024, 1, 10, 10), Utc(2025, 2, 28, 12), new LocalDate(2008, 2, 29));
        Assert.Equal([Utc(2024, 7, 9, 23), Utc(2026, 2, 28, 0)], dates);
    }

    [Fact]
    public void CommunityTreatmentOrder_NeverHeard_SixMonthAndThreeYear()
    {
        // Applicable day 20 Jan 2026: 20 Jul 2026 00:00 BST; 20 Jan 2029 00:00 GMT.
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.CommunityTreatmentOrder), Utc(2026, 1, 20, 15), null, Adult);
        Assert.Equal([Utc(2026, 7, 19, 23), Utc(2029, 1, 20, 0)], dates);
    }

    [Fact]
    public void Section37_Unrestricted_NoSixMonthReference()
    {
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.Section37), London(2026, 3, 1, 10), null, Adult);
        Assert.Equal([Utc(2029, 3, 1, 0)], dates);
    }

    [Fact]
    public void Section37_41_Under18_SecretaryOfStateThreeYearsOnly()
    {
        // s71(2) has no under-18 limb.
        var dates = Calendar.ComputeAutomaticReferenceDates(Rule(Provision.Section37_41), London(2026, 3, 1, 10), null, new LocalDate(2010, 1, 1));
        Assert.Equal([Utc(2029, 3, 1, 0)], dates);
    }

    [Theory]
    [InlineData(Provision.Guardianship7)]
    [InlineData(Provision.Section35)]
    [InlineData(Provision.Section136)]
    [InlineData(Provision.Section4)]
    [InlineData(Provision.CommunityTreatmentOrderRecall)]
    [InlineData(Provision.Informal)]
    public void NoReferenceDuty_Provisions_ReturnEmpty(Provision provision)
    {
        Assert.Empty(Calendar.ComputeAutomaticReferenceDates(Rule(provision), Utc(2026, 1, 1, 9), null, Adult));
    }
}
