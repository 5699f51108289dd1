using MhaRights.Server.Adjustments.CodeTables;
using Xunit;

namespace MhaRights.Server.Tests.Adjustments.CodeTables;

public sealed class AdjustmentCodeTablesLoadTests
{
    private static readonly AdjustmentCodeTables Tables = AdjustmentCodeTables.LoadEmbedded();

    // Published counts: domain notes §2.3, §2.4 and §7.4.
    [Theory]
    [InlineData(CodeTableNames.AdjustmentCategories, 11)]
    [InlineData(CodeTableNames.AdjustmentCodes, 348)]
    [InlineData(CodeTableNames.ImpairmentCodes, 11)]
    [InlineData(CodeTableNames.ConditionCategories, 5)]
    [InlineData(CodeTableNames.RemovalReasons, 5)]
    [InlineData(CodeTableNames.ConsentProxyRoles, 4)]
    [InlineData(CodeTableNames.ConsentPurposes, 3)]
    [InlineData(CodeTableNames.PatientFlagCategories, 3)]
    [InlineData(CodeTableNames.AnchorCodes, 7)]
    [InlineData(CodeTableNames.SdsJobRoles, 4)]
    public void LoadEmbedded_EachTable_HasPublishedRowCount(string table, int expectedRows)
    {
        Assert.Equal(expectedRows, Tables.GetTableInfo(table).RowCount);
        Assert.Equal(expectedRows, Tables.GetEntries(table).Count);
    }

    [Fact]
    public void LoadEmbedded_AllTables_AreListedOnceInOrder()
    {
        Assert.Equal(CodeTableNames.All, Tables.Tables.Select(t => t.Name));
        Assert.Equal(10, Tables.Tables.Count);
    }

    [Fact]
    public void AdjustmentCodes_Loaded_Has348RowsAnd339DistinctCodes()
    {
        Assert.Equal(348, Tables.AdjustmentCodes.Count);
        Assert.Equal(339, Tables.AdjustmentCodes.Select(c => c.SnomedCode).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("001", 40)]
    [InlineData("002", 15)]
    [InlineData("003", 9)]
    [InlineData("004", 19)]
    [InlineData("005", 13)]
    [InlineData("006", 202)]
    [InlineData("007", 12)]
    [InlineData("008", 19)]
    [InlineData("009", 11)]
    [InlineData("010", 7)]
    [InlineData("011", 1)]
    public void AdjustmentCodes_PerCategory_MatchPublishedCount(string category, int expected)
    {
        Assert.Equal(expected, Tables.GetAdjustmentCodesInCategory(category).Count);
    }

    [Fact]
    public void AdjustmentCodes_InTwoCategories_AreExactlyThePublishedNine()
    {
        var multi = Tables.AdjustmentCodes
            .GroupBy(c => c.SnomedCode, StringComparer.Ordinal)
            .Where(g => g.Count() == 2)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "105506000", "1325291000000103", "1325301000000104", "1325321000000108", "1325341000000101",
                "1325401000000109", "1325421000000100", "829101000000101", "862731000000105",
            ],
            multi);
        Assert.DoesNotContain(
            Tables.AdjustmentCodes.GroupBy(c => c.SnomedCode, StringComparer.Ordinal), g => g.Count() > 2);
    }

    [Fact]
    public void Categories_Loaded_AreElevenWithNumericAndKebabCodes()
    {
        Assert.Equal(
            ["001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011"],
            Tables.Categories.Select(c => c.Code));
        Assert.Equal("communication-support", Tables.Categories[0].KebabCode);
        Assert.Equal("bespoke-reasonable-adjustments", Tables.Categories[10].KebabCode);
        Assert.Same(Tables.FindCategory("006"), Tables.FindCategory("community-language-support"));
        Assert.Equal(["011"], Tables.Categories.Where(c => c.RequiresText).Select(c => c.Code));
        Assert.All(Tables.Categories, c => Assert.Equal("https://fhir.nhs.uk/England/CodeSystem/England-FlagCategoryRA", c.KebabSystem));
    }

    [Fact]
    public void Impairments_Loaded_AreOneToTenAndTwelveWithOnlyOtherNeedingText()
    {
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12"], Tables.Impairments.Select(i => i.Code));
        Assert.Null(Tables.FindImpairment("11"));
        Assert.Equal(["10"], Tables.Impairments.Where(i => i.RequiresText).Select(i => i.Code));
        Assert.Equal("other", Tables.FindImpairment("10")!.KebabCode);
    }

    [Fact]
    public void Tables_Loaded_EachHasVersionSourceAndRowSystems()
    {
        foreach (var table in Tables.Tables)
        {
            Assert.Equal("1.0.0", table.Version);
            Assert.False(string.IsNullOrWhiteSpace(table.Source), $"{table.Name} has no '# source:' header");
            Assert.Equal(table.Name + ".csv", table.FileName);
            Assert.All(Tables.GetEntries(table.Name), e =>
            {
                Assert.StartsWith("http", e.System, StringComparison.Ordinal);
                Assert.Equal(table.Version, e.TableVersion);
                Assert.False(string.IsNullOrWhiteSpace(e.Display));
            });
        }
    }

    [Fact]
    public void AdjustmentCodes_Loaded_AllUseSnomedSystemAndDisplays()
    {
        Assert.All(Tables.AdjustmentCodes, c => Assert.Equal("http://snomed.info/sct", c.System));
        Assert.Equal("Does lip read", Tables.GetAdjustmentDisplay("441092009"));
        Assert.Equal("British Sign Language interpreter needed", Tables.GetAdjustmentDisplay("204331000000107"));
        Assert.Equal("Polish language interpreter needed", Tables.GetAdjustmentDisplay("203901000000102"));
        Assert.Equal("Chinese interpreter needed", Tables.GetAdjustmentDisplay("972591000000100"));
        Assert.Equal("Interpreter needed", Tables.GetAdjustmentDisplay("315594003"));
        Assert.Equal("Requires extended appointment", Tables.GetAdjustmentDisplay("1108171000000102"));
        Assert.Null(Tables.GetAdjustmentDisplay("22298006"));
    }

    [Fact]
    public void SnomedCodes_CheckDigit_OnlyTheTwoFlaggedPublishedAnomaliesFail()
    {
        var failing = Tables.AdjustmentCodes
            .Where(c => !SnomedIdentifier.HasValidCheckDigit(c.SnomedCode))
            .Select(c => c.SnomedCode)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(["1082551000000100", "1082661000000100"], failing);
        Assert.All(
            Tables.AdjustmentCodes.Where(c => failing.Contains(c.SnomedCode)),
            c => Assert.Contains("check digit", c.Note, StringComparison.Ordinal));
        Assert.All(
            Tables.AdjustmentCodes.Where(c => !failing.Contains(c.SnomedCode)),
            c => Assert.Equal(string.Empty, c.Note));
    }

    [Theory]
    [InlineData(AnchorCodeKeys.EqualityActThreshold, "1326341000000105")]
    [InlineData(AnchorCodeKeys.RequiresReasonableAdjustment, "1108111000000107")]
    [InlineData(AnchorCodeKeys.ConsentToUploadGiven, "1853771000000105")]
    [InlineData(AnchorCodeKeys.ConsentToUploadDeclined, "1853781000000107")]
    [InlineData(AnchorCodeKeys.ReasonableAdjustmentList, "1094391000000102")]
    [InlineData(AnchorCodeKeys.AisNeedsAssessment, "1053561000000108")]
    [InlineData(AnchorCodeKeys.InterpreterNeeded, "315594003")]
    public void AnchorCodes_ByKey_ResolveToPublishedCode(string key, string code)
    {
        Assert.Equal(code, Tables.GetAnchorCode(key).Code);
    }

    [Fact]
    public void AnchorCodes_UnknownKey_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Tables.GetAnchorCode("no-such-anchor"));
    }

    [Fact]
    public void BespokeCategory_OnlyCode_IsTheRequiresReasonableAdjustmentAnchor()
    {
        var bespoke = Assert.Single(Tables.GetAdjustmentCodesInCategory("011"));
        Assert.Equal(Tables.GetAnchorCode(AnchorCodeKeys.RequiresReasonableAdjustment).Code, bespoke.SnomedCode);
    }

    [Fact]
    public void RemovalReasons_Loaded_OnlyErrorMarksEnteredInError()
    {
        Assert.Equal(
            ["Error", "PatientDissent", "ProxyDissent", "DoesntApply", "BestInterest"],
            Tables.RemovalReasons.Select(r => r.Code));
        Assert.Equal(
            ["Error"],
            Tables.RemovalReasons.Where(r => r.Outcome == RemovalOutcome.EnteredInError).Select(r => r.Code));
    }

    [Fact]
    public void SmallTables_Loaded_HoldThePublishedCodes()
    {
        Assert.Equal(["001", "002", "003", "004"], Tables.ConsentProxyRoles.Select(r => r.Code));
        Assert.Equal(["RACONSENT", "RADISSENT", "RAREVOKED"], Tables.ConsentPurposes.Select(r => r.Code));
        Assert.Equal(["NRAF", "FGM", "CP-IS"], Tables.PatientFlagCategories.Select(r => r.Code));
        Assert.Equal("national-reasonable-adjustment-flag", Tables.PatientFlagCategories[0].AlternateCode);
        Assert.Equal(
            ["problem-list-item", "encounter-diagnosis", "presenting-complaint", "co-morbidity", "issue"],
            Tables.ConditionCategories.Select(r => r.Code));
        Assert.Equal("issue", Tables.DefaultConditionCategory.Code);
        Assert.Equal(["R0050", "R0260", "R1974", "R1981"], Tables.SdsJobRoles.Select(r => r.Code));
    }

    [Fact]
    public void GetEntries_AdjustmentCodes_CarryCategoryPerRow()
    {
        var rows = Tables.GetEntries(CodeTableNames.AdjustmentCodes).Where(e => e.Code == "105506000").ToArray();

        Assert.Equal(["007", "008"], rows.Select(r => r.CategoryCode));
        Assert.All(rows, r => Assert.Equal("Dependence on seeing eye dog", r.Display));
    }

    [Fact]
    public void GetTableVersion_UnknownTable_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Tables.GetTableVersion("no-such-table"));
    }
}
