namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>Version and size of one loaded code table.</summary>
/// <param name="Name">Table name (see <see cref="CodeTableNames"/>).</param>
/// <param name="Version">Local table version from the file's <c># version:</c> header, for example "1.0.0".</param>
/// <param name="FileName">Data file the table was read from.</param>
/// <param name="RowCount">Number of data rows.</param>
/// <param name="Source">The file's <c># source:</c> header; empty when absent.</param>
public sealed record CodeTableInfo(string Name, string Version, string FileName, int RowCount, string Source);

/// <summary>An adjustment category (RARecord-AdjustmentCategory-1 / England-FlagCategoryRA).</summary>
/// <param name="Code">Numeric code, "001".."011".</param>
/// <param name="KebabCode">Gen 3 code, for example "communication-support".</param>
/// <param name="Display">Display text.</param>
/// <param name="RequiresText">True when an adjustment in this category needs bespoke text (011).</param>
/// <param name="System">Code system of <paramref name="Code"/>.</param>
/// <param name="KebabSystem">Code system of <paramref name="KebabCode"/>.</param>
public sealed record AdjustmentCategory(
    string Code, string KebabCode, string Display, bool RequiresText, string System, string KebabSystem);

/// <summary>One (category, SNOMED CT code) row of the national adjustment value set.</summary>
/// <param name="CategoryCode">Numeric category code, "001".."011".</param>
/// <param name="SnomedCode">SNOMED CT concept id.</param>
/// <param name="Display">Display text.</param>
/// <param name="System">Code system, http://snomed.info/sct.</param>
/// <param name="Note">Maintainer note (for example a published check-digit anomaly); empty when none.</param>
public sealed record AdjustmentCode(string CategoryCode, string SnomedCode, string Display, string System, string Note);

/// <summary>An impairment code (RARecord-ConditionCode-1 / England-ConditionCodeRA).</summary>
/// <param name="Code">Numeric code, "1".."10" or "12".</param>
/// <param name="KebabCode">Gen 3 code, for example "vision".</param>
/// <param name="Display">Display text.</param>
/// <param name="RequiresText">True when the impairment needs "please specify" text (10 "other").</param>
/// <param name="System">Code system of <paramref name="Code"/>.</param>
/// <param name="KebabSystem">Code system of <paramref name="KebabCode"/>.</param>
public sealed record ImpairmentCode(
    string Code, string KebabCode, string Display, bool RequiresText, string System, string KebabSystem);

/// <summary>What removing with a reason does to a record or item.</summary>
public enum RemovalOutcome
{
    /// <summary>The record or item becomes REMOVED.</summary>
    Removed,

    /// <summary>The record or item becomes ENTERED_IN_ERROR.</summary>
    EnteredInError,
}

/// <summary>A removal reason (RARecord-RemovalReason-1).</summary>
/// <param name="Code">Code, for example "DoesntApply".</param>
/// <param name="Display">Display text.</param>
/// <param name="Outcome">State the record or item goes to.</param>
/// <param name="System">Code system.</param>
public sealed record RemovalReason(string Code, string Display, RemovalOutcome Outcome, string System);

/// <summary>
/// One row of any table in a uniform shape (what ListAdjustmentCodes returns). Fields a table does not have are
/// empty strings or false.
/// </summary>
/// <param name="Table">Table name.</param>
/// <param name="Code">Code (numeric form where a table has two styles; SNOMED id for SNOMED tables).</param>
/// <param name="AlternateCode">Gen 3 kebab-case code, if the table has one.</param>
/// <param name="Display">Display text.</param>
/// <param name="System">Code system of <paramref name="Code"/>.</param>
/// <param name="AlternateSystem">Code system of <paramref name="AlternateCode"/>.</param>
/// <param name="CategoryCode">Category of an adjustment-code row.</param>
/// <param name="RequiresText">True when the code needs free text.</param>
/// <param name="Key">Anchor key, removal outcome ("removed" / "entered-in-error") or "default" for the default
/// condition category.</param>
/// <param name="Note">Maintainer note.</param>
/// <param name="TableVersion">Version of the table.</param>
public sealed record CodeTableEntry(
    string Table,
    string Code,
    string AlternateCode,
    string Display,
    string System,
    string AlternateSystem,
    string CategoryCode,
    bool RequiresText,
    string Key,
    string Note,
    string TableVersion);
