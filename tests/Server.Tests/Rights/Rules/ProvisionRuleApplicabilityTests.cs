using MhaRights.Server.Rights.Rules;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

public sealed class ProvisionRuleApplicabilityTests
{
    // Expected values typed from the §1.5 matrix (columns: s132, s132A, IMHA, NR copy s132(4), NR copy s130D(5), own tribunal right).
    [Theory]
    [InlineData(Provision.Informal, false, false, false, false, false, false)]
    [InlineData(Provision.Section2, true, false, true, true, true, true)]
    [InlineData(Provision.Section3, true, false, true, true, true, true)]
    [InlineData(Provision.Section4, true, false, false, true, false, true)]
    [InlineData(Provision.Section5_2, true, false, false, true, false, false)]
    [InlineData(Provision.Section5_4, true, false, false, true, false, false)]
    [InlineData(Provision.Section135, true, false, false, true, false, false)]
    [InlineData(Provision.Section136, true, false, false, true, false, false)]
    [InlineData(Provision.Section35, true, false, true, true, false, false)]
    [InlineData(Provision.Section36, true, false, true, true, false, false)]
    [InlineData(Provision.Section38, true, false, true, true, false, false)]
    [InlineData(Provision.Section37, true, false, true, true, false, true)]
    [InlineData(Provision.Section37_41, true, false, true, true, false, true)]
    [InlineData(Provision.Section45A, true, false, true, true, false, true)]
    [InlineData(Provision.Section47_49, true, false, true, true, false, true)]
    [InlineData(Provision.Section48_49, true, false, true, true, false, true)]
    [InlineData(Provision.Section47, true, false, true, true, false, true)]
    [InlineData(Provision.Section48, true, false, true, true, false, true)]
    [InlineData(Provision.CommunityTreatmentOrder, false, true, true, true, true, true)]
    [InlineData(Provision.CommunityTreatmentOrderRecall, true, false, true, true, true, false)]
    [InlineData(Provision.Guardianship7, false, false, true, false, true, true)]
    [InlineData(Provision.Guardianship37, false, false, true, false, true, true)]
    [InlineData(Provision.ConditionalDischarge, false, false, true, false, false, true)]
    // Not in §1.5 - [verify] decisions recorded in RightsRuleSets.
    [InlineData(Provision.Section44, true, false, true, true, false, false)]
    [InlineData(Provision.Section46, true, false, true, true, false, true)]
    [InlineData(Provision.CriminalProcedureInsanity, true, false, true, true, false, true)]
    [InlineData(Provision.OtherActs, true, false, true, true, false, true)]
    public void ApplicabilityFlags_EveryProvision_MatchSection1_5Matrix(
        Provision provision, bool s132, bool s132A, bool imha, bool nrCopy132, bool nrCopy130D, bool ownTribunal)
    {
        foreach (var set in RightsRuleBook.Default.RuleSets)
        {
            var rule = set[provision];
            Assert.Equal(provision, rule.Provision);
            Assert.Equal(s132, rule.Section132_1);
            Assert.Equal(s132A, rule.Section132A);
            Assert.Equal(imha, rule.ImhaQualifying);
            Assert.Equal(nrCopy132, rule.NearestRelativeCopy132_4);
            Assert.Equal(nrCopy130D, rule.NearestRelativeCopy130D5);
            Assert.Equal(ownTribunal, rule.HasOwnTribunalRight);
        }
    }

    [Fact]
    public void ApplicabilityMatrix_CoversEveryProvision_NoRowForgotten()
    {
        // 27 provisions; the theory above has 27 rows. A new enum member must add a matrix row.
        Assert.Equal(27, Enum.GetValues<Provision>().Length);
    }

    // §6.1 (England list). CTO, recall and conditional discharge have no DD code.
    [Theory]
    [InlineData(Provision.Informal, "01")]
    [InlineData(Provision.Section2, "02")]
    [InlineData(Provision.Section3, "03")]
    [InlineData(Provision.Section4, "04")]
    [InlineData(Provision.Section5_2, "05")]
    [InlineData(Provision.Section5_4, "06")]
    [InlineData(Provision.Section35, "07")]
    [InlineData(Provision.Section36, "08")]
    [InlineData(Provision.Section37_41, "09")]
    [InlineData(Provision.Section37, "10")]
    [InlineData(Provision.Section38, "12")]
    [InlineData(Provision.Section44, "13")]
    [InlineData(Provision.Section46, "14")]
    [InlineData(Provision.Section47_49, "15")]
    [InlineData(Provision.Section47, "16")]
    [InlineData(Provision.Section48_49, "17")]
    [InlineData(Provision.Section48, "18")]
    [InlineData(Provision.Section135, "19")]
    [InlineData(Provision.Section136, "20")]
    [InlineData(Provision.CriminalProcedureInsanity, "31")]
    [InlineData(Provision.OtherActs, "32")]
    [InlineData(Provision.Guardianship7, "35")]
    [InlineData(Provision.Guardianship37, "36")]
    [InlineData(Provision.Section45A, "37")]
    [InlineData(Provision.CommunityTreatmentOrder, null)]
    [InlineData(Provision.CommunityTreatmentOrderRecall, null)]
    [InlineData(Provision.ConditionalDischarge, null)]
    public void DataDictionaryCode_EveryProvision_MatchesSection6_1(Provision provision, string? code)
    {
        Assert.Equal(code, Rule(provision).DataDictionaryCode);
    }

    [Theory]
    [InlineData(Provision.Section2, "Section 2")]
    [InlineData(Provision.Section5_2, "Section 5(2)")]
    [InlineData(Provision.Section37_41, "Section 37/41")]
    public void DisplayName_CommonSections_ReadsAsInLeaflets(Provision provision, string expected)
    {
        Assert.Equal(expected, Rule(provision).DisplayName);
    }

    // Classification columns: (detention, Part 3, restricted).
    [Theory]
    [InlineData(Provision.Section2, true, false, false)]
    [InlineData(Provision.Section37, true, true, false)]
    [InlineData(Provision.Section37_41, true, true, true)]
    [InlineData(Provision.Section45A, true, true, true)]
    [InlineData(Provision.Section38, true, true, false)]
    [InlineData(Provision.Section136, true, false, false)]
    [InlineData(Provision.CommunityTreatmentOrder, false, false, false)]
    [InlineData(Provision.CommunityTreatmentOrderRecall, true, false, false)]
    [InlineData(Provision.Guardianship37, false, true, false)]
    [InlineData(Provision.ConditionalDischarge, false, true, true)]
    [InlineData(Provision.Informal, false, false, false)]
    public void Classification_SelectedProvisions_DetentionPart3Restricted(Provision provision, bool detention, bool part3, bool restricted)
    {
        var rule = Rule(provision);
        Assert.Equal(detention, rule.IsDetention);
        Assert.Equal(part3, rule.IsPart3);
        Assert.Equal(restricted, rule.IsRestricted);
    }

    [Fact]
    public void EveryRuleSet_RowInvariants_Hold()
    {
        foreach (var set in RightsRuleBook.Default.RuleSets)
        {
            var names = new HashSet<string>();
            var codes = new HashSet<string>();
            foreach (var rule in set.Rules.Values)
            {
                var what = $"{set.Name}/{rule.Provision}";
                Assert.False(string.IsNullOrWhiteSpace(rule.DisplayName), what);
                Assert.True(names.Add(rule.DisplayName), $"{what}: duplicate display name");
                Assert.True(rule.DataDictionaryCode is null || codes.Add(rule.DataDictionaryCode), $"{what}: duplicate DD code");

                // §1.3: the IMHA NR copy needs a qualifying patient not liable to be detained under Part 3.
                Assert.True(!rule.NearestRelativeCopy130D5 || (rule.ImhaQualifying && !(rule.IsPart3 && rule.IsDetention)), what);

                // The s132(4)/s132A(3) copy only exists where an information duty does.
                Assert.True(!rule.NearestRelativeCopy132_4 || rule.Section132_1 || rule.Section132A, what);

                // Windows only for provisions with an own tribunal right.
                Assert.True(rule.TribunalWindows.Kind == TribunalWindowKind.None || rule.HasOwnTribunalRight, what);

                // Renewals extend a calendar length; restricted patients have no fixed end.
                Assert.True(rule.Renewal is null || rule.DurationRule.Calendar is not null, what);
                Assert.True(!rule.IsRestricted || rule.DurationRule.IsIndefinite, what);
            }
        }
    }

    [Fact]
    public void ShortSections_DefaultSla_ShorterThanSectionItself()
    {
        // §8.4: an SLA as long as the section would let the episode end unexplained.
        foreach (var rule in Current.Rules.Values)
        {
            if (rule.DurationRule.Elapsed is { } length && rule.Section132_1)
            {
                Assert.NotNull(rule.DefaultInitialExplanationSla);
                Assert.True(rule.DefaultInitialExplanationSla < length, rule.DisplayName);
            }
        }
    }
}
