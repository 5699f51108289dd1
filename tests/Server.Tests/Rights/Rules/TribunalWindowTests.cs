using MhaRights.Server.Rights.Rules;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

/// <summary>
/// §3.2 application windows. The first window opens at the start instant; later ones at local midnight of their
/// first day; every Closes is exclusive (local midnight after the last day).
/// </summary>
public sealed class TribunalWindowTests
{
    [Fact]
    public void Section2_AdmittedAt2330Bst_Day14CountsAdmissionDay()
    {
        // Day 1 = 10 Jun, day 14 = 23 Jun; closes 24 Jun 00:00 BST = 2026-06-23T23:00Z.
        var start = London(2026, 6, 10, 23, 30);
        var window = Assert.Single(Calendar.ComputeTribunalWindows(Rule(Provision.Section2), start, Utc(2027, 1, 1, 0)));
        Assert.Equal(start, window.Opens);
        Assert.Equal(Utc(2026, 6, 23, 23), window.Closes);
        Assert.Equal("14 days beginning with the day of admission", window.Label);
    }

    [Fact]
    public void Section2_AdmittedAt2330Gmt_Day14CountsAdmissionDay()
    {
        // Day 1 = 10 Jan, day 14 = 23 Jan; closes 24 Jan 00:00 GMT.
        var window = Assert.Single(Calendar.ComputeTribunalWindows(Rule(Provision.Section2), London(2026, 1, 10, 23, 30), Utc(2027, 1, 1, 0)));
        Assert.Equal(Utc(2026, 1, 24, 0), window.Closes);
    }

    [Fact]
    public void Section2_JustAfterUtcMidnightInSummer_UsesLondonDay()
    {
        // 2026-06-10T23:30Z = 11 Jun 00:30 BST: day 14 = 24 Jun; closes 25 Jun 00:00 BST = 2026-06-24T23:00Z.
        var window = Assert.Single(Calendar.ComputeTribunalWindows(Rule(Provision.Section2), Utc(2026, 6, 10, 23, 30), Utc(2027, 1, 1, 0)));
        Assert.Equal(Utc(2026, 6, 24, 23), window.Closes);
    }

    [Fact]
    public void Section2_WindowSpanningAutumnClockChange_ClosesAtGmtMidnight()
    {
        // 20 Oct 2026 12:00 BST: day 14 = 2 Nov; closes 3 Nov 00:00 GMT.
        var window = Assert.Single(Calendar.ComputeTribunalWindows(Rule(Provision.Section2), London(2026, 10, 20, 12), Utc(2027, 1, 1, 0)));
        Assert.Equal(Utc(2026, 11, 3, 0), window.Closes);
    }

    [Fact]
    public void Section3_GmtStart_SixSixThenYearlyWindowsOpeningAtLocalMidnight()
    {
        var start = London(2026, 3, 1, 10);
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.Section3), start, Utc(2028, 6, 1, 0));

        TribunalWindow[] expected =
        [
            new(start, Utc(2026, 8, 31, 23), "first 6 months"),                       // to 1 Sep 00:00 BST
            new(Utc(2026, 8, 31, 23), Utc(2027, 3, 1, 0), "second 6 months"),         // 1 Sep 2026 00:00 BST -> 1 Mar 2027 GMT
            new(Utc(2027, 3, 1, 0), Utc(2028, 3, 1, 0), "year 2"),
            new(Utc(2028, 3, 1, 0), Utc(2029, 3, 1, 0), "year 3"),                     // opens before 1 Jun 2028
        ];
        Assert.Equal(expected, windows);
    }

    [Fact]
    public void Section3_BstStart_SecondWindowOpensAtGmtMidnight()
    {
        // 10 May 2026 09:00 BST: second period opens 10 Nov 00:00 GMT, closes 10 May 2027 00:00 BST.
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.Section3), London(2026, 5, 10, 9), Utc(2027, 1, 1, 0));
        Assert.Equal(2, windows.Count);
        Assert.Equal(Utc(2026, 11, 10, 0), windows[1].Opens);
        Assert.Equal(Utc(2027, 5, 9, 23), windows[1].Closes);
    }

    [Fact]
    public void Section3_Windows_LineUpWithRenewalPeriods()
    {
        var rule = Rule(Provision.Section3);
        var start = London(2025, 8, 31, 12); // month-end start: the case where chaining matters
        var windows = Calendar.ComputeTribunalWindows(rule, start, Utc(2030, 1, 1, 0));
        for (var i = 0; i < windows.Count; i++)
        {
            Assert.Equal(Calendar.ComputeRenewedExpiry(rule, start, i), windows[i].Closes);
        }
    }

    [Fact]
    public void Section37_Unrestricted_NoWindowInFirstSixMonths()
    {
        // Order 1 Mar 2026: first window is the second 6 months (1 Sep 00:00 BST -> 1 Mar 2027), then year 2.
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.Section37), London(2026, 3, 1, 10), Utc(2027, 6, 1, 0));
        TribunalWindow[] expected =
        [
            new(Utc(2026, 8, 31, 23), Utc(2027, 3, 1, 0), "second 6 months"),
            new(Utc(2027, 3, 1, 0), Utc(2028, 3, 1, 0), "year 2"),
        ];
        Assert.Equal(expected, windows);
    }

    [Fact]
    public void Section37_UntilBeforeSixMonths_NoWindows()
    {
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.Section37), London(2026, 3, 1, 10), Utc(2026, 8, 31, 22));
        Assert.Empty(windows);
    }

    [Fact]
    public void Section37_41_Restricted_WindowsCountedFromOrderDateNotChained()
    {
        // Order 31 Aug 2025 12:00 BST. s70: 6 months -> 28 Feb 2026 (GMT); 12 months -> 31 Aug 2026 00:00 BST
        // (= 2026-08-30T23:00Z); then yearly to 31 Aug 2027, 31 Aug 2028. A chained s37 would close at 28 Aug instead.
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.Section37_41), London(2025, 8, 31, 12), Utc(2027, 9, 1, 0));
        TribunalWindow[] expected =
        [
            new(Utc(2026, 2, 28, 0), Utc(2026, 8, 30, 23), "second 6 months"),
            new(Utc(2026, 8, 30, 23), Utc(2027, 8, 30, 23), "year 2"),
            new(Utc(2027, 8, 30, 23), Utc(2028, 8, 30, 23), "year 3"),
        ];
        Assert.Equal(expected, windows);

        var chained = Calendar.ComputeTribunalWindows(Rule(Provision.Section37), London(2025, 8, 31, 12), Utc(2026, 6, 1, 0));
        Assert.Equal(Utc(2026, 8, 27, 23), Assert.Single(chained).Closes);
    }

    [Theory]
    [InlineData(Provision.Section47)]
    [InlineData(Provision.Section48)]
    public void TransferDirection_Unrestricted_HasFirstSixMonthWindow(Provision provision)
    {
        var start = London(2026, 3, 1, 10);
        var first = Calendar.ComputeTribunalWindows(Rule(provision), start, Utc(2026, 4, 1, 0))[0];
        Assert.Equal(new TribunalWindow(start, Utc(2026, 8, 31, 23), "first 6 months"), first);
    }

    [Fact]
    public void Section4_WindowIsTheWholeEpisode()
    {
        var start = London(2026, 3, 28, 20);
        var window = Assert.Single(Calendar.ComputeTribunalWindows(Rule(Provision.Section4), start, Utc(2026, 12, 1, 0)));
        Assert.Equal(start, window.Opens);
        Assert.Equal(Utc(2026, 3, 31, 20), window.Closes);
    }

    [Fact]
    public void ConditionalDischarge_FirstWindowAfterTwelveMonthsThenTwoYearly()
    {
        // [verify s75(2)] discharged 1 Mar 2026: 1 Mar 2027 -> 1 Mar 2028, then 1 Mar 2028 -> 1 Mar 2030.
        var windows = Calendar.ComputeTribunalWindows(Rule(Provision.ConditionalDischarge), London(2026, 3, 1, 10), Utc(2028, 6, 1, 0));
        TribunalWindow[] expected =
        [
            new(Utc(2027, 3, 1, 0), Utc(2028, 3, 1, 0), "year 2"),
            new(Utc(2028, 3, 1, 0), Utc(2030, 3, 1, 0), "years 3-4"),
        ];
        Assert.Equal(expected, windows);
    }

    [Theory]
    [InlineData(Provision.Section35)]
    [InlineData(Provision.Section36)]
    [InlineData(Provision.Section38)]
    [InlineData(Provision.Section5_2)]
    [InlineData(Provision.Section5_4)]
    [InlineData(Provision.Section135)]
    [InlineData(Provision.Section136)]
    [InlineData(Provision.CommunityTreatmentOrderRecall)]
    [InlineData(Provision.Informal)]
    public void NoTribunalRight_Provisions_HaveNoWindows(Provision provision)
    {
        Assert.Empty(Calendar.ComputeTribunalWindows(Rule(provision), Utc(2026, 1, 1, 9), Utc(2030, 1, 1, 0)));
    }

    [Fact]
    public void UntilNotAfterStart_ReturnsNoWindows()
    {
        var start = Utc(2026, 1, 1, 9);
        Assert.Empty(Calendar.ComputeTribunalWindows(Rule(Provision.Section2), start, start));
    }
}
