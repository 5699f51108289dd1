namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>
/// Names of the reasonable-adjustment code tables. Each name is also the data file name without ".csv" and the
/// value of the file's <c># table:</c> header.
/// </summary>
public static class CodeTableNames
{
    /// <summary>Adjustment categories 001–011 with their Gen 3 kebab-case codes.</summary>
    public const string AdjustmentCategories = "adjustment-categories";

    /// <summary>SNOMED CT adjustment codes, one row per (category, code).</summary>
    public const string AdjustmentCodes = "adjustment-codes";

    /// <summary>Impairment codes 1–10 and 12 with their Gen 3 kebab-case codes.</summary>
    public const string ImpairmentCodes = "impairment-codes";

    /// <summary>Condition categories for impairments and underlying conditions.</summary>
    public const string ConditionCategories = "condition-categories";

    /// <summary>Removal reasons for records and items.</summary>
    public const string RemovalReasons = "removal-reasons";

    /// <summary>Consent proxy roles 001–004.</summary>
    public const string ConsentProxyRoles = "consent-proxy-roles";

    /// <summary>Consent purposes RACONSENT, RADISSENT, RAREVOKED.</summary>
    public const string ConsentPurposes = "consent-purposes";

    /// <summary>Patient flag categories (NRAF and the other national flags).</summary>
    public const string PatientFlagCategories = "patient-flag-categories";

    /// <summary>Anchor SNOMED CT codes looked up by key (see <see cref="AnchorCodeKeys"/>).</summary>
    public const string AnchorCodes = "anchor-codes";

    /// <summary>SDS job roles used in national Provenance.</summary>
    public const string SdsJobRoles = "sds-job-roles";

    /// <summary>Every table, in the order ListAdjustmentCodes returns them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AdjustmentCategories,
        AdjustmentCodes,
        ImpairmentCodes,
        ConditionCategories,
        RemovalReasons,
        ConsentProxyRoles,
        ConsentPurposes,
        PatientFlagCategories,
        AnchorCodes,
        SdsJobRoles,
    ];

    /// <summary>The data file name of a table, for example "adjustment-codes.csv".</summary>
    public static string FileName(string tableName) => tableName + ".csv";
}

/// <summary>Keys of the rows of the <see cref="CodeTableNames.AnchorCodes"/> table. Every key must be present.</summary>
public static class AnchorCodeKeys
{
    /// <summary>1326341000000105, the Equality Act 2010 threshold impairment recorded on activation.</summary>
    public const string EqualityActThreshold = "equality-act-threshold";

    /// <summary>1108111000000107, requires reasonable adjustment for health and care access (also the bespoke code).</summary>
    public const string RequiresReasonableAdjustment = "requires-reasonable-adjustment";

    /// <summary>1853771000000105, consent given to upload to the national flag.</summary>
    public const string ConsentToUploadGiven = "consent-to-upload-given";

    /// <summary>1853781000000107, declined consent to upload to the national flag.</summary>
    public const string ConsentToUploadDeclined = "consent-to-upload-declined";

    /// <summary>1094391000000102, the reasonable-adjustment List code (Gen 1).</summary>
    public const string ReasonableAdjustmentList = "reasonable-adjustment-list";

    /// <summary>1053561000000108, the Accessible Information Standard needs assessment.</summary>
    public const string AisNeedsAssessment = "ais-needs-assessment";

    /// <summary>315594003, the generic "Interpreter needed".</summary>
    public const string InterpreterNeeded = "interpreter-needed";

    /// <summary>Every required key.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        EqualityActThreshold,
        RequiresReasonableAdjustment,
        ConsentToUploadGiven,
        ConsentToUploadDeclined,
        ReasonableAdjustmentList,
        AisNeedsAssessment,
        InterpreterNeeded,
    ];
}
