using MhaRights.Server.Rights.Rules;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

/// <summary>§3.1 renewals: each period runs from the expiration of the last (chained).</summary>
public sealed class RenewalTests
{
    [Fact]
    public void Section3_RenewalSequence_IsSixSixThenTwelveMonths()
    {
        var rule = Rule(Provision.Section3);
        var start = London(2026, 3, 1, 10);

        // Initial: 1 Mar-31 Aug 2026 -> 1 Sep 00:00 BST.
        Assert.Equal(Utc(2026, 8, 31, 23), Calendar.ComputeRenewedExpiry(rule, start, 0));
        // 1st renewal, 6 months from 1 Sep 2026 -> 1 Mar 2027 00:00 GMT.
        Assert.Equal(Utc(2027, 3, 1, 0), Calendar.ComputeRenewedExpiry(rule, start, 1));
        // 2nd renewal, 12 months (includes 29 Feb 2028) -> 1 Mar 2028.
        Assert.Equal(Utc(2028, 3, 1, 0), Calendar.ComputeRenewedExpiry(rule, start, 2));
        // 3rd renewal, 12 months again -> 1 Mar 2029.
        Assert.Equal(Utc(2029, 3, 1, 0), Calendar.ComputeRenewedExpiry(rule, start, 3));
    }

    [Fact]
    public void Section3_RenewalZero_EqualsComputeExpiry()
    {
        var rule = Rule(Provision.Section3);
        var start = London(2026, 7, 4, 16);
        Assert.Equal(Calendar.ComputeExpiry(rule, start), Calendar.ComputeRenewedExpiry(rule, start, 0));
    }

    [Fact]
    public void Section3_MonthEndStart_RenewalsChainFromPreviousEnd()
    {
        // 31 Aug 2025 -> 28 Feb 2026 (truncated); renewal of 6 months from 28 Feb -> 28 Aug 2026 00:00 BST
        // (= 2026-08-27T23:00Z), not 31 Aug; then 28 Aug 2027.
        var rule = Rule(Provision.Section3);
        var start = London(2025, 8, 31, 12);
        Assert.Equal(Utc(2026, 8, 27, 23), Calendar.ComputeRenewedExpiry(rule, start, 1));
        Assert.Equal(Utc(2027, 8, 27, 23), Calendar.ComputeRenewedExpiry(rule, start, 2));
    }

    [Fact]
    public void CommunityTreatmentOrder_Extensions_SixThenTwelveMonths()
    {
        // 20 Jan 2026: ends 20 Jul 2026 (BST), 20 Jan 2027 (GMT), 20 Jan 2028 (GMT).
        var rule = Rule(Provision.CommunityTreatmentOrder);
        var start = Utc(2026, 1, 20, 15);
        Assert.Equal(Utc(2026, 7, 19, 23), Calendar.ComputeRenewedExpiry(rule, start, 0));
        Assert.Equal(Utc(2027, 1, 20, 0), Calendar.ComputeRenewedExpiry(rule, start, 1));
        Assert.Equal(Utc(2028, 1, 20, 0), Calendar.ComputeRenewedExpiry(rule, start, 2));
    }

    [Fact]
    public void Section35_RenewalsOf28Days_StopAtTwelveWeeksInAll()
    {
        // 2 Feb 2026: 2 Mar (GMT), 30 Mar (BST: 29 Mar 23:00Z), 27 Apr (BST) = 2 Feb + 84 days = the 12-week cap.
        var rule = Rule(Provision.Section35);
        var start = London(2026, 2, 2, 11);
        Assert.Equal(Utc(2026, 3, 2, 0), Calendar.ComputeRenewedExpiry(rule, start, 0));
        Assert.Equal(Utc(2026, 3, 29, 23), Calendar.ComputeRenewedExpiry(rule, start, 1));
        Assert.Equal(Utc(2026, 4, 26, 23), Calendar.ComputeRenewedExpiry(rule, start, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.ComputeRenewedExpiry(rule, start, 3));
    }

    [Fact]
    public void Section38_EleventhRenewal_ClippedToTwelveMonthsInAll()
    {
        // 5 Jan 2026: 12 weeks -> 30 Mar; each renewal +28 days; 84 + 10x28 = 364 days -> 4 Jan 2027.
        // The 11th would reach 1 Feb 2027 but is clipped to 12 months: 5 Jan 2027. A 12th is not possible.
        var rule = Rule(Provision.Section38);
        var start = London(2026, 1, 5, 15);
        Assert.Equal(Utc(2027, 1, 4, 0), Calendar.ComputeRenewedExpiry(rule, start, 10));
        Assert.Equal(Utc(2027, 1, 5, 0), Calendar.ComputeRenewedExpiry(rule, start, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.ComputeRenewedExpiry(rule, start, 12));
    }

    [Theory]
    [InlineData(Provision.Section2)]
    [InlineData(Provision.Section4)]
    [InlineData(Provision.Section136)]
    public void NonRenewable_FirstRenewal_Throws(Provision provision)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.ComputeRenewedExpiry(Rule(provision), Utc(2026, 1, 1, 9), 1));
    }

    [Fact]
    public void Restricted_AnyRenewal_HasNoFixedEnd()
    {
        Assert.Null(Calendar.ComputeRenewedExpiry(Rule(Provision.Section37_41), Utc(2026, 1, 1, 9), 3));
    }

    [Fact]
    public void NegativeRenewalNumber_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.ComputeRenewedExpiry(Rule(Provision.Section3), Utc(2026, 1, 1, 9), -1));
    }
}
