namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>
/// Request field names used in <see cref="CodeFieldViolation.Field"/>. They are the proto field names relative to
/// the message that holds them; the gRPC layer prefixes the path to that message (see
/// <see cref="CodeValidationResult.WithFieldPrefix"/>), for example "adjustment_item.adjustment.snomed_code".
/// </summary>
public static class CodeFields
{
    /// <summary>AdjustmentDetail.category_code.</summary>
    public const string CategoryCode = "category_code";

    /// <summary>AdjustmentDetail.snomed_code and UnderlyingConditionDetail.snomed_code.</summary>
    public const string SnomedCode = "snomed_code";

    /// <summary>UnderlyingConditionDetail.snomed_display.</summary>
    public const string SnomedDisplay = "snomed_display";

    /// <summary>AdjustmentDetail.bespoke_text.</summary>
    public const string BespokeText = "bespoke_text";

    /// <summary>ImpairmentDetail.impairment_code.</summary>
    public const string ImpairmentCode = "impairment_code";

    /// <summary>ImpairmentDetail.other_text.</summary>
    public const string OtherText = "other_text";

    /// <summary>removal_reason_code on the remove and replace requests.</summary>
    public const string RemovalReasonCode = "removal_reason_code";

    /// <summary>SharingDecision.consent_proxy_role_code.</summary>
    public const string ConsentProxyRoleCode = "consent_proxy_role_code";

    /// <summary>condition_category_code on impairment and underlying-condition details.</summary>
    public const string ConditionCategoryCode = "condition_category_code";
}

/// <summary>Machine-readable kinds of <see cref="CodeFieldViolation"/>.</summary>
public static class CodeViolationReasons
{
    /// <summary>A required value is missing or blank.</summary>
    public const string Required = "REQUIRED";

    /// <summary>The value is not in the code table.</summary>
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <summary>The SNOMED CT code exists but not in the given adjustment category.</summary>
    public const string CategoryMismatch = "CATEGORY_MISMATCH";

    /// <summary>The code needs free text and none was given.</summary>
    public const string TextRequired = "TEXT_REQUIRED";

    /// <summary>Free text was given for a code that does not take it.</summary>
    public const string TextNotAllowed = "TEXT_NOT_ALLOWED";

    /// <summary>The text is longer than allowed.</summary>
    public const string TooLong = "TOO_LONG";

    /// <summary>The value is not well formed (for example not a SNOMED CT identifier).</summary>
    public const string Malformed = "MALFORMED";
}

/// <summary>One invalid field, shaped like google.rpc.BadRequest.FieldViolation plus a reason.</summary>
/// <param name="Field">Field path (see <see cref="CodeFields"/>).</param>
/// <param name="Reason">One of <see cref="CodeViolationReasons"/>.</param>
/// <param name="Description">English message for the caller; names the offending value and what is allowed.</param>
public sealed record CodeFieldViolation(string Field, string Reason, string Description);

/// <summary>Result of a code validation: valid, or the list of field violations.</summary>
public sealed class CodeValidationResult
{
    private CodeValidationResult(IReadOnlyList<CodeFieldViolation> violations) => Violations = violations;

    /// <summary>The valid result.</summary>
    public static CodeValidationResult Valid { get; } = new([]);

    /// <summary>The violations; empty when valid.</summary>
    public IReadOnlyList<CodeFieldViolation> Violations { get; }

    /// <summary>True when there are no violations.</summary>
    public bool IsValid => Violations.Count == 0;

    /// <summary>Creates a result from violations (valid when the list is empty).</summary>
    public static CodeValidationResult From(IEnumerable<CodeFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var list = violations.ToArray();
        return list.Length == 0 ? Valid : new CodeValidationResult(list);
    }

    /// <summary>Creates an invalid result with one violation.</summary>
    public static CodeValidationResult Invalid(string field, string reason, string description) =>
        new([new CodeFieldViolation(field, reason, description)]);

    /// <summary>Combines results, keeping every violation in order.</summary>
    public static CodeValidationResult Combine(params CodeValidationResult[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return From(results.SelectMany(r => r.Violations));
    }

    /// <summary>
    /// Returns the same violations with <paramref name="prefix"/> and a dot in front of each field, for example
    /// prefix "adjustment_item.adjustment" turns "snomed_code" into "adjustment_item.adjustment.snomed_code".
    /// </summary>
    public CodeValidationResult WithFieldPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return IsValid
            ? this
            : new CodeValidationResult(Violations.Select(v => v with { Field = prefix + "." + v.Field }).ToArray());
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsValid ? "valid" : string.Join("; ", Violations.Select(v => $"{v.Field}: {v.Description}"));
}
