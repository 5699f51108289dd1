using MhaRights.Server.Rights.Rules;
using NodaTime;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

/// <summary>§3.1 maximum durations. Every expected value is the first instant AFTER the authority ends.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public void Section2_AdmittedMorningInGmt_EndsAtStartOfLocalDay29OnClockChangeDay()
    {
        // Day 1 = Sun 1 Mar 2026, day 28 = 28 Mar; ends at local midnight starting 29 Mar. Clocks go forward at
        // 01:00 GMT that day, so 00:00 local is still GMT: 2026-03-29T00:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section2), London(2026, 3, 1, 10));
        Assert.Equal(Utc(2026, 3, 29, 0), expiry);
    }

    [Fact]
    public void Section2_AdmittedAt2330Bst_AdmissionDayCountsAsDayOne()
    {
        // Day 1 = 10 Jun (only 30 minutes of it), day 28 = 7 Jul; ends 8 Jul 00:00 BST = 2026-07-07T23:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section2), London(2026, 6, 10, 23, 30));
        Assert.Equal(Utc(2026, 7, 7, 23), expiry);
    }

    [Fact]
    public void Section2_Admitted2330Utc_CountsLondonDateNotUtcDate()
    {
        // 2026-06-10T23:30Z is 00:30 BST on 11 Jun, so day 1 = 11 Jun; ends 9 Jul 00:00 BST = 2026-07-08T23:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section2), Utc(2026, 6, 10, 23, 30));
        Assert.Equal(Utc(2026, 7, 8, 23), expiry);
    }

    [Fact]
    public void Section3_StartInGmt_EndsAtLocalMidnightInBst()
    {
        // 6 months beginning with 1 Mar 2026 = 1 Mar..31 Aug; ends 1 Sep 00:00 BST = 2026-08-31T23:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section3), London(2026, 3, 1, 10));
        Assert.Equal(Utc(2026, 8, 31, 23), expiry);
    }

    [Fact]
    public void Section3_StartInBst_EndsAtLocalMidnightInGmt()
    {
        // 10 May 2026 09:00 BST; 6 months -> ends 10 Nov 00:00 GMT = 2026-11-10T00:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section3), London(2026, 5, 10, 9));
        Assert.Equal(Utc(2026, 11, 10, 0), expiry);
    }

    [Fact]
    public void Section3_StartOn31August_TruncatesToFebruaryMonthEnd()
    {
        // [verify] 31 Aug 2025 + 6 months = 28 Feb 2026 (NodaTime truncation): last day 27 Feb; ends 2026-02-28T00:00Z.
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section3), London(2025, 8, 31, 12));
        Assert.Equal(Utc(2026, 2, 28, 0), expiry);
    }

    [Fact]
    public void Section4_HoursAcrossSpringClockChange_CountsRealElapsedHours()
    {
        // 28 Mar 2026 20:00 GMT + 72 real hours = 2026-03-31T20:00Z (21:00 BST on the ward clock).
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section4), London(2026, 3, 28, 20));
        Assert.Equal(Utc(2026, 3, 31, 20), expiry);
    }

    [Fact]
    public void Section5_2_HoursAcrossAutumnClockChange_CountsRealElapsedHours()
    {
        // 24 Oct 2026 12:00 BST = 11:00Z; + 72h = 2026-10-27T11:00Z (11:00 GMT).
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section5_2), London(2026, 10, 24, 12));
        Assert.Equal(Utc(2026, 10, 27, 11), expiry);
    }

    [Fact]
    public void Section5_4_NurseHoldingPower_LastsSixHours()
    {
        var expiry = Calendar.ComputeExpiry(Rule(Provision.Section5_4), Utc(2026, 1, 15, 22));
        Assert.Equal(Utc(2026, 1, 16, 4), expiry);
    }

    [Theory]
    [InlineData(Provision.Section135)]
    [InlineData(Provision.Section136)]
    public void PlaceOfSafety_CurrentLaw_Lasts24HoursWith12HourExtensionNoted(Provision provision)
    {
        // 1 Jun 2020 14:00 BST = 13:00Z; + 24h = 2020-06-02T13:00Z.
        var rule = Rule(provision);
        Assert.Equal(Utc(2020, 6, 2, 13), Calendar.ComputeExpiry(rule, London(2020, 6, 1, 14)));
        Assert.Equal(Duration.FromHours(12), rule.DurationRule.MaximumExtension);
    }

    [Theory]
    [InlineData(Provision.Section35)]
    [InlineData(Provision.Section36)]
    public void Remand_TwentyEightDays_BeginningWithDayOfRemand(Provision provision)
    {
        // Day 1 = 2 Feb 2026, day 28 = 1 Mar; ends 2 Mar 00:00 GMT.
        Assert.Equal(Utc(2026, 3, 2, 0), Calendar.ComputeExpiry(Rule(provision), London(2026, 2, 2, 11)));
    }

    [Fact]
    public void Section38_TwelveWeeks_EndsAfterSpringClockChange()
    {
        // 5 Jan 2026 + 84 days = 30 Mar 2026 (26 left in Jan + 28 Feb + 30 Mar); 00:00 BST = 2026-03-29T23:00Z.
        Assert.Equal(Utc(2026, 3, 29, 23), Calendar.ComputeExpiry(Rule(Provision.Section38), London(2026, 1, 5, 15)));
    }

    [Fact]
    public void CommunityTreatmentOrder_SixMonths_EndsAtLocalMidnight()
    {
        // 20 Jan 2026 -> 20 Jul 00:00 BST = 2026-07-19T23:00Z.
        Assert.Equal(Utc(2026, 7, 19, 23), Calendar.ComputeExpiry(Rule(Provision.CommunityTreatmentOrder), Utc(2026, 1, 20, 15)));
    }

    [Fact]
    public void CtoRecall_SeventyTwoHours_FromReturnToHospital()
    {
        Assert.Equal(Utc(2026, 2, 13, 9), Calendar.ComputeExpiry(Rule(Provision.CommunityTreatmentOrderRecall), Utc(2026, 2, 10, 9)));
    }

    [Fact]
    public void Guardianship_StartInBst_EndsAfterAutumnClockChange()
    {
        // 30 Apr 2026 -> 30 Oct 00:00 GMT (clocks went back 25 Oct) = 2026-10-30T00:00Z.
        Assert.Equal(Utc(2026, 10, 30, 0), Calendar.ComputeExpiry(Rule(Provision.Guardianship7), London(2026, 4, 30, 12)));
    }

    [Theory]
    [InlineData(Provision.Informal)]
    [InlineData(Provision.Section37_41)]
    [InlineData(Provision.Section45A)]
    [InlineData(Provision.Section47_49)]
    [InlineData(Provision.Section48_49)]
    [InlineData(Provision.Section44)]
    [InlineData(Provision.ConditionalDischarge)]
    public void NoFixedEnd_Provisions_ReturnNull(Provision provision)
    {
        Assert.Null(Calendar.ComputeExpiry(Rule(provision), Utc(2026, 1, 1, 12)));
    }

    [Fact]
    public void Part4ThreeMonthPoint_MonthEndStart_TruncatesAndUsesLocalMidnight()
    {
        // 31 Jan 2026 + 3 months = 30 Apr (no 31 Apr); 00:00 BST = 2026-04-29T23:00Z.
        Assert.Equal(Utc(2026, 4, 29, 23), Calendar.ComputePart4ThreeMonthPoint(Utc(2026, 1, 31, 10)));
    }

    [Fact]
    public void Part4ThreeMonthPoint_FromBstIntoGmt_UsesLocalMidnight()
    {
        // 10 Aug 2026 21:00 BST -> 10 Nov 00:00 GMT = 2026-11-10T00:00Z.
        Assert.Equal(Utc(2026, 11, 10, 0), Calendar.ComputePart4ThreeMonthPoint(London(2026, 8, 10, 21)));
    }
}
