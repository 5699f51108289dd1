using MhaRights.Server.Adjustments.CodeTables;
using Xunit;

namespace MhaRights.Server.Tests.Adjustments.CodeTables;

public sealed class AdjustmentCodeTablesValidationTests
{
    private static readonly AdjustmentCodeTables Tables = AdjustmentCodeTables.LoadEmbedded();

    // The nine codes that the national value set places in two categories (domain notes §2.4).
    public static TheoryData<string, string> CodesInTwoCategories { get; } = new()
    {
        { "105506000", "007" }, { "105506000", "008" },
        { "1325291000000103", "005" }, { "1325291000000103", "007" },
        { "1325301000000104", "007" }, { "1325301000000104", "009" },
        { "1325321000000108", "008" }, { "1325321000000108", "009" },
        { "1325341000000101", "008" }, { "1325341000000101", "009" },
        { "1325401000000109", "008" }, { "1325401000000109", "009" },
        { "1325421000000100", "005" }, { "1325421000000100", "007" },
        { "829101000000101", "007" }, { "829101000000101", "008" },
        { "862731000000105", "007" }, { "862731000000105", "009" },
    };

    [Theory]
    [MemberData(nameof(CodesInTwoCategories))]
    public void ValidateAdjustment_CodeInTwoCategories_ValidInEach(string snomed, string category)
    {
        var result = Tables.ValidateAdjustment(category, snomed, null);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, Tables.FindAdjustmentCodes(snomed).Count);
    }

    [Fact]
    public void ValidateAdjustment_CodeInTwoCategories_KebabCategoriesValidToo()
    {
        Assert.True(Tables.ValidateAdjustment("adjustments-for-providing-additional-support-to-patients", "105506000", null).IsValid);
        Assert.True(Tables.ValidateAdjustment("adjustments-for-individual-care-requirements", "105506000", null).IsValid);
    }

    [Fact]
    public void ValidateAdjustment_EveryPublishedRow_IsValid()
    {
        Assert.All(Tables.AdjustmentCodes, row =>
        {
            var text = Tables.FindCategory(row.CategoryCode)!.RequiresText ? "Describe the adjustment" : null;
            var result = Tables.ValidateAdjustment(row.CategoryCode, row.SnomedCode, text);
            Assert.True(result.IsValid, $"{row.CategoryCode}/{row.SnomedCode}: {result}");
        });
    }

    [Theory]
    [InlineData("123456789")]
    [InlineData("22298006")]
    [InlineData("1082551000000105")]
    public void ValidateAdjustment_UnknownSnomed_RejectedOnSnomedCode(string snomed)
    {
        var result = Tables.ValidateAdjustment("001", snomed, null);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("snomed_code", violation.Field);
        Assert.Equal(CodeViolationReasons.UnknownCode, violation.Reason);
        Assert.Contains(snomed, violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAdjustment_NotASnomedIdentifier_RejectedOnSnomedCodeSayingSo()
    {
        var result = Tables.ValidateAdjustment("001", "lip-read", null);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("snomed_code", violation.Field);
        Assert.Contains("not a SNOMED CT identifier", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAdjustment_CodeFromAnotherCategory_RejectedOnCategoryCodeNamingTheMismatch()
    {
        // 105506000 "Dependence on seeing eye dog" is in 007 and 008, not 001.
        var result = Tables.ValidateAdjustment("001", "105506000", null);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("category_code", violation.Field);
        Assert.Equal(CodeViolationReasons.CategoryMismatch, violation.Reason);
        Assert.Contains("105506000", violation.Description, StringComparison.Ordinal);
        Assert.Contains("not in category 001", violation.Description, StringComparison.Ordinal);
        Assert.Contains("007", violation.Description, StringComparison.Ordinal);
        Assert.Contains("008", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAdjustment_LanguageCodeUnderCommunicationSupport_RejectedOnCategoryCode()
    {
        var result = Tables.ValidateAdjustment("communication-support", "203901000000102", null);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("category_code", violation.Field);
        Assert.Contains("006", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("012")]
    [InlineData("1")]
    [InlineData("Communication-Support")]
    public void ValidateAdjustment_UnknownCategory_RejectedOnCategoryCode(string category)
    {
        var result = Tables.ValidateAdjustment(category, "441092009", null);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("category_code", violation.Field);
        Assert.Equal(CodeViolationReasons.UnknownCode, violation.Reason);
    }

    [Fact]
    public void ValidateAdjustment_BothCodesEmpty_RejectedOnBothFieldsAsRequired()
    {
        var result = Tables.ValidateAdjustment("", " ", null);

        Assert.Equal(["category_code", "snomed_code"], result.Violations.Select(v => v.Field));
        Assert.All(result.Violations, v => Assert.Equal(CodeViolationReasons.Required, v.Reason));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ValidateAdjustment_BespokeWithoutText_RejectedOnBespokeText(string? text)
    {
        var result = Tables.ValidateAdjustment("011", "1108111000000107", text);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("bespoke_text", violation.Field);
        Assert.Equal(CodeViolationReasons.TextRequired, violation.Reason);
    }

    [Fact]
    public void ValidateAdjustment_BespokeWithText_Valid()
    {
        Assert.True(Tables.ValidateAdjustment("011", "1108111000000107", "Offer a quiet side room for ward rounds").IsValid);
        Assert.True(Tables.ValidateAdjustment("bespoke-reasonable-adjustments", "1108111000000107", "Use first name only").IsValid);
    }

    [Fact]
    public void ValidateAdjustment_BespokeTextOnCodedCategory_RejectedOnBespokeText()
    {
        var result = Tables.ValidateAdjustment("008", "1108171000000102", "30 minutes");

        var violation = Assert.Single(result.Violations);
        Assert.Equal("bespoke_text", violation.Field);
        Assert.Equal(CodeViolationReasons.TextNotAllowed, violation.Reason);
    }

    [Fact]
    public void ValidateAdjustment_BespokeTextTooLong_RejectedOnBespokeText()
    {
        var result = Tables.ValidateAdjustment("011", "1108111000000107", new string('x', AdjustmentCodeTables.MaxTextLength + 1));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("bespoke_text", violation.Field);
        Assert.Equal(CodeViolationReasons.TooLong, violation.Reason);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("other")]
    public void ValidateImpairment_OtherWithoutText_RejectedOnOtherText(string code)
    {
        foreach (var text in new[] { null, "", "  " })
        {
            var violation = Assert.Single(Tables.ValidateImpairment(code, text).Violations);
            Assert.Equal("other_text", violation.Field);
            Assert.Equal(CodeViolationReasons.TextRequired, violation.Reason);
        }
    }

    [Fact]
    public void ValidateImpairment_OtherWithText_Valid()
    {
        Assert.True(Tables.ValidateImpairment("10", "Chronic pain").IsValid);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("vision")]
    [InlineData("9")]
    [InlineData("12")]
    [InlineData("patient-would-prefer-not-to-say")]
    public void ValidateImpairment_KnownCodeWithoutText_Valid(string code)
    {
        Assert.True(Tables.ValidateImpairment(code, null).IsValid);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("0")]
    [InlineData("autism")]
    public void ValidateImpairment_UnknownCode_RejectedOnImpairmentCode(string code)
    {
        var violation = Assert.Single(Tables.ValidateImpairment(code, null).Violations);
        Assert.Equal("impairment_code", violation.Field);
        Assert.Equal(CodeViolationReasons.UnknownCode, violation.Reason);
    }

    [Fact]
    public void ValidateImpairment_TextOnCodeThatTakesNone_RejectedOnOtherText()
    {
        var violation = Assert.Single(Tables.ValidateImpairment("1", "partial sight").Violations);
        Assert.Equal("other_text", violation.Field);
        Assert.Equal(CodeViolationReasons.TextNotAllowed, violation.Reason);
    }

    [Theory]
    [InlineData("Error")]
    [InlineData("PatientDissent")]
    [InlineData("ProxyDissent")]
    [InlineData("DoesntApply")]
    [InlineData("BestInterest")]
    public void ValidateRemovalReason_NationalCode_Valid(string code)
    {
        Assert.True(Tables.ValidateRemovalReason(code).IsValid);
    }

    [Theory]
    [InlineData("NoLongerRequired")]
    [InlineData("NoLongerApplies")]
    [InlineData("")]
    public void ValidateRemovalReason_UnknownCode_RejectedOnRemovalReasonCode(string code)
    {
        var violation = Assert.Single(Tables.ValidateRemovalReason(code).Violations);
        Assert.Equal("removal_reason_code", violation.Field);
        Assert.Contains("DoesntApply", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateRemovalReason_WrongCase_RejectedWithHint()
    {
        var violation = Assert.Single(Tables.ValidateRemovalReason("doesntapply").Violations);
        Assert.Equal(CodeViolationReasons.UnknownCode, violation.Reason);
        Assert.Contains("did you mean 'DoesntApply'", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001")]
    [InlineData("004")]
    public void ValidateConsentProxyRole_KnownCode_Valid(string code)
    {
        Assert.True(Tables.ValidateConsentProxyRole(code).IsValid);
    }

    [Theory]
    [InlineData("005")]
    [InlineData("1")]
    [InlineData("lpa")]
    public void ValidateConsentProxyRole_UnknownCode_RejectedOnConsentProxyRoleCode(string code)
    {
        var violation = Assert.Single(Tables.ValidateConsentProxyRole(code).Violations);
        Assert.Equal("consent_proxy_role_code", violation.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("issue")]
    [InlineData("co-morbidity")]
    public void ValidateConditionCategory_EmptyOrKnown_Valid(string? code)
    {
        Assert.True(Tables.ValidateConditionCategory(code).IsValid);
    }

    [Fact]
    public void ValidateConditionCategory_Unknown_RejectedOnConditionCategoryCode()
    {
        var violation = Assert.Single(Tables.ValidateConditionCategory("diagnosis").Violations);
        Assert.Equal("condition_category_code", violation.Field);
    }

    [Fact]
    public void ValidateUnderlyingCondition_ValidSctidAndDisplay_Valid()
    {
        Assert.True(AdjustmentCodeTables.ValidateUnderlyingCondition("408856003", "Autistic disorder").IsValid);
    }

    [Theory]
    [InlineData("408856004")]
    [InlineData("12345")]
    [InlineData("0408856003")]
    [InlineData("autism")]
    public void ValidateUnderlyingCondition_BadSctid_RejectedOnSnomedCode(string code)
    {
        var violation = Assert.Single(AdjustmentCodeTables.ValidateUnderlyingCondition(code, "Autism").Violations);
        Assert.Equal("snomed_code", violation.Field);
        Assert.Equal(CodeViolationReasons.Malformed, violation.Reason);
    }

    [Fact]
    public void ValidateUnderlyingCondition_NoDisplay_RejectedOnSnomedDisplay()
    {
        var violation = Assert.Single(AdjustmentCodeTables.ValidateUnderlyingCondition("408856003", " ").Violations);
        Assert.Equal("snomed_display", violation.Field);
    }

    [Fact]
    public void WithFieldPrefix_InvalidResult_PrefixesEveryField()
    {
        var result = Tables.ValidateAdjustment("001", "123456789", "text").WithFieldPrefix("adjustment_item.adjustment");

        Assert.Equal(
            ["adjustment_item.adjustment.snomed_code", "adjustment_item.adjustment.bespoke_text"],
            result.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Displays_ForValidatedCodes_ComeFromTheTables()
    {
        Assert.Equal("Communication support", Tables.GetCategoryDisplay("001"));
        Assert.Equal("Communication support", Tables.GetCategoryDisplay("communication-support"));
        Assert.Equal("Other (please specify)", Tables.GetImpairmentDisplay("other"));
        Assert.Equal("The Reasonable Adjustment Flag no longer applies to the patient", Tables.GetRemovalReasonDisplay("DoesntApply"));
        Assert.Equal("Patient consent", Tables.GetConsentProxyRoleDisplay("001"));
        Assert.Null(Tables.GetCategoryDisplay("012"));
    }
}
