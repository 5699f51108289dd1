using System.Collections.Frozen;
using System.Reflection;
using System.Text;

namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>
/// The reasonable-adjustment code tables (domain notes §2.3, §2.4, §7.4), loaded from the CSV data files described in
/// README.md into immutable lookups, with the validations the adjustment API applies to codes. Load once (for example
/// as a singleton) and share: instances are immutable and thread-safe.
/// </summary>
public sealed class AdjustmentCodeTables
{
    /// <summary>Prefix of the embedded resource names; the resource for a table is this prefix + its file name.</summary>
    public const string ResourcePrefix = "MhaRights.Server.Adjustments.CodeTables.Data.";

    /// <summary>Maximum length, in UTF-16 characters, of bespoke text and impairment "other" text.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>Maximum length of a clinician-supplied SNOMED CT display (underlying conditions).</summary>
    public const int MaxDisplayLength = 255;

    private static readonly string[] CategoryColumns = ["code", "kebab_code", "display", "requires_text", "system", "kebab_system"];
    private static readonly string[] AdjustmentCodeColumns = ["category_code", "snomed_code", "display", "system", "note"];
    private static readonly string[] ImpairmentColumns = ["code", "kebab_code", "display", "requires_text", "system", "kebab_system"];
    private static readonly string[] ConditionCategoryColumns = ["code", "display", "is_default", "system"];
    private static readonly string[] RemovalReasonColumns = ["code", "display", "outcome", "system"];
    private static readonly string[] CodeDisplaySystemColumns = ["code", "display", "system"];
    private static readonly string[] ConsentPurposeColumns = ["code", "display", "system", "note"];
    private static readonly string[] PatientFlagCategoryColumns = ["code", "kebab_code", "display", "system", "kebab_system"];
    private static readonly string[] AnchorColumns = ["key", "code", "display", "system"];

    private readonly FrozenDictionary<string, CodeTableInfo> _tables;
    private readonly FrozenDictionary<string, IReadOnlyList<CodeTableEntry>> _entries;
    private readonly FrozenDictionary<string, AdjustmentCategory> _categoriesByAnyCode;
    private readonly FrozenDictionary<string, IReadOnlyList<AdjustmentCode>> _codesBySnomed;
    private readonly FrozenDictionary<string, IReadOnlyList<AdjustmentCode>> _codesByCategory;
    private readonly FrozenDictionary<string, ImpairmentCode> _impairmentsByAnyCode;
    private readonly FrozenDictionary<string, RemovalReason> _removalReasons;
    private readonly FrozenDictionary<string, CodeTableEntry> _consentProxyRoles;
    private readonly FrozenDictionary<string, CodeTableEntry> _conditionCategories;
    private readonly FrozenDictionary<string, CodeTableEntry> _anchorsByKey;

    private AdjustmentCodeTables(IReadOnlyDictionary<string, CodeTableFile> files)
    {
        var categoriesFile = files[CodeTableNames.AdjustmentCategories];
        Categories = categoriesFile.Rows.Select(r => new AdjustmentCategory(
            r.Required("code"), r.Required("kebab_code"), r.Required("display"), r.Boolean("requires_text"),
            r.Url("system"), r.Url("kebab_system"))).ToArray();
        _categoriesByAnyCode = IndexBothCodes(
            categoriesFile, Categories, c => c.Code, c => c.KebabCode, "code", "kebab_code");

        var codesFile = files[CodeTableNames.AdjustmentCodes];
        AdjustmentCodes = ReadAdjustmentCodes(codesFile);
        _codesBySnomed = AdjustmentCodes
            .GroupBy(c => c.SnomedCode, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<AdjustmentCode>)g.ToArray(), StringComparer.Ordinal);
        _codesByCategory = Categories.ToFrozenDictionary(
            c => c.Code,
            c => (IReadOnlyList<AdjustmentCode>)AdjustmentCodes.Where(a => a.CategoryCode == c.Code).ToArray(),
            StringComparer.Ordinal);
        CheckCodesAgainstCategories(codesFile);

        var impairmentsFile = files[CodeTableNames.ImpairmentCodes];
        Impairments = impairmentsFile.Rows.Select(r => new ImpairmentCode(
            r.Required("code"), r.Required("kebab_code"), r.Required("display"), r.Boolean("requires_text"),
            r.Url("system"), r.Url("kebab_system"))).ToArray();
        _impairmentsByAnyCode = IndexBothCodes(
            impairmentsFile, Impairments, i => i.Code, i => i.KebabCode, "code", "kebab_code");

        var removalFile = files[CodeTableNames.RemovalReasons];
        RemovalReasons = removalFile.Rows.Select(r => new RemovalReason(
            r.Required("code"), r.Required("display"), ParseOutcome(r), r.Url("system"))).ToArray();
        _removalReasons = IndexUnique(removalFile, RemovalReasons, r => r.Code, "code");

        var entries = new Dictionary<string, IReadOnlyList<CodeTableEntry>>(StringComparer.Ordinal)
        {
            [CodeTableNames.AdjustmentCategories] = Categories.Select(c => Entry(
                categoriesFile, CodeTableNames.AdjustmentCategories, c.Code, c.Display, c.System, c.KebabCode,
                c.KebabSystem, requiresText: c.RequiresText)).ToArray(),
            [CodeTableNames.AdjustmentCodes] = AdjustmentCodes.Select(a => Entry(
                codesFile, CodeTableNames.AdjustmentCodes, a.SnomedCode, a.Display, a.System,
                categoryCode: a.CategoryCode, requiresText: _categoriesByAnyCode[a.CategoryCode].RequiresText,
                note: a.Note)).ToArray(),
            [CodeTableNames.ImpairmentCodes] = Impairments.Select(i => Entry(
                impairmentsFile, CodeTableNames.ImpairmentCodes, i.Code, i.Display, i.System, i.KebabCode,
                i.KebabSystem, requiresText: i.RequiresText)).ToArray(),
            [CodeTableNames.RemovalReasons] = RemovalReasons.Select(r => Entry(
                removalFile, CodeTableNames.RemovalReasons, r.Code, r.Display, r.System,
                key: r.Outcome == RemovalOutcome.EnteredInError ? "entered-in-error" : "removed")).ToArray(),
            [CodeTableNames.ConditionCategories] = ReadSimple(
                files[CodeTableNames.ConditionCategories], r => r.Boolean("is_default") ? "default" : string.Empty),
            [CodeTableNames.ConsentProxyRoles] = ReadSimple(files[CodeTableNames.ConsentProxyRoles]),
            [CodeTableNames.ConsentPurposes] = ReadSimple(files[CodeTableNames.ConsentPurposes]),
            [CodeTableNames.PatientFlagCategories] = ReadSimple(files[CodeTableNames.PatientFlagCategories]),
            [CodeTableNames.SdsJobRoles] = ReadSimple(files[CodeTableNames.SdsJobRoles]),
            [CodeTableNames.AnchorCodes] = ReadAnchors(files[CodeTableNames.AnchorCodes]),
        };

        ConditionCategories = entries[CodeTableNames.ConditionCategories];
        ConsentProxyRoles = entries[CodeTableNames.ConsentProxyRoles];
        ConsentPurposes = entries[CodeTableNames.ConsentPurposes];
        PatientFlagCategories = entries[CodeTableNames.PatientFlagCategories];
        SdsJobRoles = entries[CodeTableNames.SdsJobRoles];
        AnchorCodes = entries[CodeTableNames.AnchorCodes];

        var conditionFile = files[CodeTableNames.ConditionCategories];
        _conditionCategories = IndexUnique(conditionFile, ConditionCategories, e => e.Code, "code");
        var defaults = ConditionCategories.Where(e => e.Key == "default").ToArray();
        if (defaults.Length != 1)
        {
            throw conditionFile.Error($"exactly one row must have is_default = true, found {defaults.Length}");
        }

        DefaultConditionCategory = defaults[0];
        _consentProxyRoles = IndexUnique(files[CodeTableNames.ConsentProxyRoles], ConsentProxyRoles, e => e.Code, "code");
        _ = IndexUnique(files[CodeTableNames.ConsentPurposes], ConsentPurposes, e => e.Code, "code");
        _ = IndexBothCodes(
            files[CodeTableNames.PatientFlagCategories], PatientFlagCategories, e => e.Code, e => e.AlternateCode,
            "code", "kebab_code");
        _ = IndexUnique(files[CodeTableNames.SdsJobRoles], SdsJobRoles, e => e.Code, "code");
        _anchorsByKey = IndexUnique(files[CodeTableNames.AnchorCodes], AnchorCodes, e => e.Key, "key");
        var missingAnchors = AnchorCodeKeys.All.Where(k => !_anchorsByKey.ContainsKey(k)).ToArray();
        if (missingAnchors.Length > 0)
        {
            throw files[CodeTableNames.AnchorCodes].Error($"missing anchor key(s) {string.Join(", ", missingAnchors)}");
        }

        _entries = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _tables = CodeTableNames.All.ToFrozenDictionary(
            name => name,
            name => new CodeTableInfo(
                name, files[name].Version, files[name].FileName, files[name].Rows.Count, files[name].Source),
            StringComparer.Ordinal);
        Tables = CodeTableNames.All.Select(name => _tables[name]).ToArray();
    }

    /// <summary>Every table's name, version, file and row count, in <see cref="CodeTableNames.All"/> order.</summary>
    public IReadOnlyList<CodeTableInfo> Tables { get; }

    /// <summary>The 11 adjustment categories, in code order.</summary>
    public IReadOnlyList<AdjustmentCategory> Categories { get; }

    /// <summary>Every (category, SNOMED CT code) row, in the published order.</summary>
    public IReadOnlyList<AdjustmentCode> AdjustmentCodes { get; }

    /// <summary>The impairment codes.</summary>
    public IReadOnlyList<ImpairmentCode> Impairments { get; }

    /// <summary>The removal reasons.</summary>
    public IReadOnlyList<RemovalReason> RemovalReasons { get; }

    /// <summary>The condition categories.</summary>
    public IReadOnlyList<CodeTableEntry> ConditionCategories { get; }

    /// <summary>The condition category used when a request leaves it empty ("issue").</summary>
    public CodeTableEntry DefaultConditionCategory { get; }

    /// <summary>The consent proxy roles.</summary>
    public IReadOnlyList<CodeTableEntry> ConsentProxyRoles { get; }

    /// <summary>The consent purposes.</summary>
    public IReadOnlyList<CodeTableEntry> ConsentPurposes { get; }

    /// <summary>The patient flag categories (numeric-era code in Code, Gen 3 code in AlternateCode).</summary>
    public IReadOnlyList<CodeTableEntry> PatientFlagCategories { get; }

    /// <summary>The anchor SNOMED CT codes (key in <see cref="CodeTableEntry.Key"/>).</summary>
    public IReadOnlyList<CodeTableEntry> AnchorCodes { get; }

    /// <summary>The SDS job roles.</summary>
    public IReadOnlyList<CodeTableEntry> SdsJobRoles { get; }

    /// <summary>Loads the tables embedded in the assembly that defines this type.</summary>
    /// <exception cref="CodeTableLoadException">A resource is missing or invalid.</exception>
    public static AdjustmentCodeTables LoadEmbedded() => LoadEmbedded(typeof(AdjustmentCodeTables).Assembly);

    /// <summary>Loads the tables embedded in <paramref name="assembly"/> under <see cref="ResourcePrefix"/>.</summary>
    /// <exception cref="CodeTableLoadException">A resource is missing or invalid.</exception>
    public static AdjustmentCodeTables LoadEmbedded(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Load(fileName => assembly.GetManifestResourceStream(ResourcePrefix + fileName));
    }

    /// <summary>
    /// Loads the tables from streams. <paramref name="openFile"/> receives a data file name such as
    /// "adjustment-codes.csv" and returns its UTF-8 content, or null when it does not exist.
    /// </summary>
    /// <exception cref="CodeTableLoadException">A file is missing or invalid; the message names file, line and column.</exception>
    public static AdjustmentCodeTables Load(Func<string, Stream?> openFile)
    {
        ArgumentNullException.ThrowIfNull(openFile);
        var files = new Dictionary<string, CodeTableFile>(StringComparer.Ordinal);
        foreach (var table in CodeTableNames.All)
        {
            var fileName = CodeTableNames.FileName(table);
            using var stream = openFile(fileName)
                ?? throw new CodeTableLoadException(fileName, 0, "data file not found (is it embedded?)");
            try
            {
                using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), true);
                files[table] = CodeTableCsv.Read(table, reader, ColumnsOf(table));
            }
            catch (DecoderFallbackException ex)
            {
                throw new CodeTableLoadException(fileName, 0, "is not valid UTF-8", ex);
            }
        }

        return new AdjustmentCodeTables(files);
    }

    /// <summary>The version of a table, for example "1.0.0".</summary>
    /// <exception cref="ArgumentException">Unknown table name.</exception>
    public string GetTableVersion(string tableName) => GetTableInfo(tableName).Version;

    /// <summary>Name, version, file and row count of a table.</summary>
    /// <exception cref="ArgumentException">Unknown table name.</exception>
    public CodeTableInfo GetTableInfo(string tableName) =>
        _tables.TryGetValue(tableName, out var info)
            ? info
            : throw new ArgumentException($"Unknown code table '{tableName}'.", nameof(tableName));

    /// <summary>The rows of a table in the uniform shape, in file order.</summary>
    /// <exception cref="ArgumentException">Unknown table name.</exception>
    public IReadOnlyList<CodeTableEntry> GetEntries(string tableName) =>
        _entries.TryGetValue(tableName, out var entries)
            ? entries
            : throw new ArgumentException($"Unknown code table '{tableName}'.", nameof(tableName));

    /// <summary>The category with this numeric ("001") or kebab-case code, or null.</summary>
    public AdjustmentCategory? FindCategory(string? code) =>
        code is not null && _categoriesByAnyCode.TryGetValue(code, out var category) ? category : null;

    /// <summary>The rows for a SNOMED CT code (two when the code is in two categories); empty when unknown.</summary>
    public IReadOnlyList<AdjustmentCode> FindAdjustmentCodes(string? snomedCode) =>
        snomedCode is not null && _codesBySnomed.TryGetValue(snomedCode, out var rows) ? rows : [];

    /// <summary>The rows of one category (numeric or kebab-case code); empty when the category is unknown.</summary>
    public IReadOnlyList<AdjustmentCode> GetAdjustmentCodesInCategory(string? categoryCode) =>
        FindCategory(categoryCode) is { } category ? _codesByCategory[category.Code] : [];

    /// <summary>The impairment with this numeric ("10") or kebab-case ("other") code, or null.</summary>
    public ImpairmentCode? FindImpairment(string? code) =>
        code is not null && _impairmentsByAnyCode.TryGetValue(code, out var impairment) ? impairment : null;

    /// <summary>The removal reason with this (case-sensitive) code, or null.</summary>
    public RemovalReason? FindRemovalReason(string? code) =>
        code is not null && _removalReasons.TryGetValue(code, out var reason) ? reason : null;

    /// <summary>The consent proxy role with this code ("001".."004"), or null.</summary>
    public CodeTableEntry? FindConsentProxyRole(string? code) =>
        code is not null && _consentProxyRoles.TryGetValue(code, out var role) ? role : null;

    /// <summary>The condition category with this code, or null.</summary>
    public CodeTableEntry? FindConditionCategory(string? code) =>
        code is not null && _conditionCategories.TryGetValue(code, out var category) ? category : null;

    /// <summary>The anchor code with this key (see <see cref="AnchorCodeKeys"/>).</summary>
    /// <exception cref="KeyNotFoundException">Unknown key.</exception>
    public CodeTableEntry GetAnchorCode(string key) =>
        _anchorsByKey.TryGetValue(key, out var anchor)
            ? anchor
            : throw new KeyNotFoundException($"Unknown anchor code key '{key}'.");

    /// <summary>Display of a category (numeric or kebab-case code), or null when unknown.</summary>
    public string? GetCategoryDisplay(string? code) => FindCategory(code)?.Display;

    /// <summary>Display of a SNOMED CT adjustment code, or null when not in the value set.</summary>
    public string? GetAdjustmentDisplay(string? snomedCode) =>
        FindAdjustmentCodes(snomedCode) is [var first, ..] ? first.Display : null;

    /// <summary>Display of an impairment code (numeric or kebab-case), or null when unknown.</summary>
    public string? GetImpairmentDisplay(string? code) => FindImpairment(code)?.Display;

    /// <summary>Display of a removal reason, or null when unknown.</summary>
    public string? GetRemovalReasonDisplay(string? code) => FindRemovalReason(code)?.Display;

    /// <summary>Display of a consent proxy role, or null when unknown.</summary>
    public string? GetConsentProxyRoleDisplay(string? code) => FindConsentProxyRole(code)?.Display;

    /// <summary>
    /// Validates an adjustment: the category must exist (numeric or kebab-case), the SNOMED CT code must be in the
    /// national adjustment value set and in that category, and bespoke text must be given for a category that
    /// requires it (011) and only there. Violations name <see cref="CodeFields.CategoryCode"/>,
    /// <see cref="CodeFields.SnomedCode"/> or <see cref="CodeFields.BespokeText"/>; a known code in the wrong
    /// category is reported on <see cref="CodeFields.CategoryCode"/> with reason
    /// <see cref="CodeViolationReasons.CategoryMismatch"/>, naming the categories the code belongs to.
    /// </summary>
    public CodeValidationResult ValidateAdjustment(string categoryCode, string snomedCode, string? bespokeText)
    {
        var violations = new List<CodeFieldViolation>();
        AdjustmentCategory? category = null;
        if (string.IsNullOrWhiteSpace(categoryCode))
        {
            violations.Add(new(CodeFields.CategoryCode, CodeViolationReasons.Required,
                "category_code is required: an adjustment category code 001-011 or its kebab-case code."));
        }
        else if ((category = FindCategory(categoryCode)) is null)
        {
            violations.Add(new(CodeFields.CategoryCode, CodeViolationReasons.UnknownCode,
                $"'{categoryCode}' is not an adjustment category (table {CodeTableNames.AdjustmentCategories} "
                + $"v{GetTableVersion(CodeTableNames.AdjustmentCategories)}); use 001-011 or a kebab-case code such as "
                + $"'{Categories[0].KebabCode}'."));
        }

        IReadOnlyList<AdjustmentCode> rows = [];
        if (string.IsNullOrWhiteSpace(snomedCode))
        {
            violations.Add(new(CodeFields.SnomedCode, CodeViolationReasons.Required,
                "snomed_code is required: a SNOMED CT code from the national adjustment value set."));
        }
        else if ((rows = FindAdjustmentCodes(snomedCode)).Count == 0)
        {
            var shape = SnomedIdentifier.HasValidShape(snomedCode) ? string.Empty : " It is not a SNOMED CT identifier.";
            violations.Add(new(CodeFields.SnomedCode, CodeViolationReasons.UnknownCode,
                $"SNOMED CT code '{snomedCode}' is not in the national adjustment value set (table "
                + $"{CodeTableNames.AdjustmentCodes} v{GetTableVersion(CodeTableNames.AdjustmentCodes)}).{shape}"));
        }

        if (category is not null && rows.Count > 0 && !rows.Any(r => r.CategoryCode == category.Code))
        {
            var belongsTo = string.Join(
                " and ", rows.Select(r => $"{r.CategoryCode} '{_categoriesByAnyCode[r.CategoryCode].Display}'"));
            violations.Add(new(CodeFields.CategoryCode, CodeViolationReasons.CategoryMismatch,
                $"SNOMED CT code {snomedCode} '{rows[0].Display}' is not in category {category.Code} "
                + $"'{category.Display}'; it belongs to category {belongsTo}."));
        }

        if (category is not null)
        {
            if (category.RequiresText && string.IsNullOrWhiteSpace(bespokeText))
            {
                violations.Add(new(CodeFields.BespokeText, CodeViolationReasons.TextRequired,
                    $"bespoke_text is required for category {category.Code} '{category.Display}': describe the adjustment."));
            }
            else if (!category.RequiresText && !string.IsNullOrEmpty(bespokeText))
            {
                violations.Add(new(CodeFields.BespokeText, CodeViolationReasons.TextNotAllowed,
                    $"bespoke_text is only allowed for category {BespokeCategoryList()}, not {category.Code} "
                    + $"'{category.Display}'; put notes in free_text."));
            }
        }

        if (bespokeText is { Length: > MaxTextLength })
        {
            violations.Add(new(CodeFields.BespokeText, CodeViolationReasons.TooLong,
                $"bespoke_text has {bespokeText.Length} characters; at most {MaxTextLength} are allowed."));
        }

        return CodeValidationResult.From(violations);
    }

    /// <summary>
    /// Validates an impairment: the code must exist (numeric or kebab-case; there is no code 11), free text must be
    /// given for a code that requires it (10 "other") and only there. Violations name
    /// <see cref="CodeFields.ImpairmentCode"/> or <see cref="CodeFields.OtherText"/>.
    /// </summary>
    public CodeValidationResult ValidateImpairment(string code, string? freeText)
    {
        var violations = new List<CodeFieldViolation>();
        ImpairmentCode? impairment = null;
        if (string.IsNullOrWhiteSpace(code))
        {
            violations.Add(new(CodeFields.ImpairmentCode, CodeViolationReasons.Required,
                "impairment_code is required: an impairment code 1-10 or 12, or its kebab-case code."));
        }
        else if ((impairment = FindImpairment(code)) is null)
        {
            violations.Add(new(CodeFields.ImpairmentCode, CodeViolationReasons.UnknownCode,
                $"'{code}' is not an impairment code (table {CodeTableNames.ImpairmentCodes} "
                + $"v{GetTableVersion(CodeTableNames.ImpairmentCodes)}); allowed: "
                + $"{string.Join(", ", Impairments.Select(i => i.Code))} or their kebab-case codes."));
        }

        if (impairment is not null)
        {
            if (impairment.RequiresText && string.IsNullOrWhiteSpace(freeText))
            {
                violations.Add(new(CodeFields.OtherText, CodeViolationReasons.TextRequired,
                    $"other_text is required for impairment {impairment.Code} '{impairment.Display}': "
                    + "say what the impairment is."));
            }
            else if (!impairment.RequiresText && !string.IsNullOrEmpty(freeText))
            {
                var takesText = string.Join(
                    ", ", Impairments.Where(i => i.RequiresText).Select(i => $"{i.Code} '{i.Display}'"));
                violations.Add(new(CodeFields.OtherText, CodeViolationReasons.TextNotAllowed,
                    $"other_text is only allowed for impairment {takesText}, not {impairment.Code} "
                    + $"'{impairment.Display}'; put notes in free_text."));
            }
        }

        if (freeText is { Length: > MaxTextLength })
        {
            violations.Add(new(CodeFields.OtherText, CodeViolationReasons.TooLong,
                $"other_text has {freeText.Length} characters; at most {MaxTextLength} are allowed."));
        }

        return CodeValidationResult.From(violations);
    }

    /// <summary>
    /// Validates a removal reason code (case-sensitive) against the national list. Violations name
    /// <see cref="CodeFields.RemovalReasonCode"/>. Whether a method accepts "Error" is the caller's rule; see
    /// <see cref="RemovalReason.Outcome"/>.
    /// </summary>
    public CodeValidationResult ValidateRemovalReason(string code) =>
        ValidateMember(code, CodeFields.RemovalReasonCode, CodeTableNames.RemovalReasons, "removal reason",
            RemovalReasons.Select(r => r.Code).ToArray(), FindRemovalReason(code) is not null);

    /// <summary>
    /// Validates a consent proxy role code ("001".."004"). Violations name <see cref="CodeFields.ConsentProxyRoleCode"/>.
    /// </summary>
    public CodeValidationResult ValidateConsentProxyRole(string code) =>
        ValidateMember(code, CodeFields.ConsentProxyRoleCode, CodeTableNames.ConsentProxyRoles, "consent proxy role",
            ConsentProxyRoles.Select(r => r.Code).ToArray(), FindConsentProxyRole(code) is not null);

    /// <summary>
    /// Validates a condition category; null or empty is valid and means <see cref="DefaultConditionCategory"/>.
    /// Violations name <see cref="CodeFields.ConditionCategoryCode"/>.
    /// </summary>
    public CodeValidationResult ValidateConditionCategory(string? code) =>
        string.IsNullOrEmpty(code)
            ? CodeValidationResult.Valid
            : ValidateMember(code, CodeFields.ConditionCategoryCode, CodeTableNames.ConditionCategories,
                "condition category", ConditionCategories.Select(c => c.Code).ToArray(), FindConditionCategory(code) is not null);

    /// <summary>
    /// Validates an underlying condition: the SNOMED CT code must be a well-formed SCTID with a valid check digit
    /// (any concept may be used, so there is no value set) and the display must be given and at most
    /// <see cref="MaxDisplayLength"/> characters. Violations name <see cref="CodeFields.SnomedCode"/> or
    /// <see cref="CodeFields.SnomedDisplay"/>.
    /// </summary>
    public static CodeValidationResult ValidateUnderlyingCondition(string snomedCode, string? display)
    {
        var violations = new List<CodeFieldViolation>();
        if (string.IsNullOrWhiteSpace(snomedCode))
        {
            violations.Add(new(CodeFields.SnomedCode, CodeViolationReasons.Required,
                "snomed_code is required: the SNOMED CT concept id of the condition."));
        }
        else if (!SnomedIdentifier.HasValidShape(snomedCode))
        {
            violations.Add(new(CodeFields.SnomedCode, CodeViolationReasons.Malformed,
                $"'{snomedCode}' is not a SNOMED CT identifier (6 to 18 digits, no leading zero)."));
        }
        else if (!SnomedIdentifier.HasValidCheckDigit(snomedCode))
        {
            violations.Add(new(CodeFields.SnomedCode, CodeViolationReasons.Malformed,
                $"'{snomedCode}' is not a SNOMED CT identifier: its check digit is wrong."));
        }

        if (string.IsNullOrWhiteSpace(display))
        {
            violations.Add(new(CodeFields.SnomedDisplay, CodeViolationReasons.Required,
                "snomed_display is required: the display text of the condition."));
        }
        else if (display.Length > MaxDisplayLength)
        {
            violations.Add(new(CodeFields.SnomedDisplay, CodeViolationReasons.TooLong,
                $"snomed_display has {display.Length} characters; at most {MaxDisplayLength} are allowed."));
        }

        return CodeValidationResult.From(violations);
    }

    private CodeValidationResult ValidateMember(
        string code, string field, string table, string what, IReadOnlyList<string> allowed, bool found)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return CodeValidationResult.Invalid(field, CodeViolationReasons.Required,
                $"{field} is required: a {what} code, one of {string.Join(", ", allowed)}.");
        }

        if (found)
        {
            return CodeValidationResult.Valid;
        }

        var near = allowed.FirstOrDefault(a => string.Equals(a, code.Trim(), StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? string.Empty : $" Codes are case-sensitive and exact: did you mean '{near}'?";
        return CodeValidationResult.Invalid(field, CodeViolationReasons.UnknownCode,
            $"'{code}' is not a {what} code (table {table} v{GetTableVersion(table)}); allowed: "
            + $"{string.Join(", ", allowed)}.{hint}");
    }

    private string BespokeCategoryList() =>
        string.Join(", ", Categories.Where(c => c.RequiresText).Select(c => $"{c.Code} '{c.Display}'"));

    private static IReadOnlyCollection<string> ColumnsOf(string table) => table switch
    {
        CodeTableNames.AdjustmentCategories => CategoryColumns,
        CodeTableNames.AdjustmentCodes => AdjustmentCodeColumns,
        CodeTableNames.ImpairmentCodes => ImpairmentColumns,
        CodeTableNames.ConditionCategories => ConditionCategoryColumns,
        CodeTableNames.RemovalReasons => RemovalReasonColumns,
        CodeTableNames.ConsentProxyRoles => CodeDisplaySystemColumns,
        CodeTableNames.ConsentPurposes => ConsentPurposeColumns,
        CodeTableNames.PatientFlagCategories => PatientFlagCategoryColumns,
        CodeTableNames.AnchorCodes => AnchorColumns,
        CodeTableNames.SdsJobRoles => CodeDisplaySystemColumns,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown code table."),
    };

    private static AdjustmentCode[] ReadAdjustmentCodes(CodeTableFile file)
    {
        var seen = new HashSet<(string, string)>();
        var displays = new Dictionary<string, string>(StringComparer.Ordinal);
        var codes = new List<AdjustmentCode>(file.Rows.Count);
        foreach (var row in file.Rows)
        {
            var code = new AdjustmentCode(
                row.Required("category_code"), row.Required("snomed_code"), row.Required("display"), row.Url("system"),
                row.Optional("note"));
            if (!SnomedIdentifier.HasValidShape(code.SnomedCode))
            {
                throw row.Error("snomed_code", $"'{code.SnomedCode}' is not a SNOMED CT identifier");
            }

            if (!seen.Add((code.CategoryCode, code.SnomedCode)))
            {
                throw row.Error($"duplicate row for category {code.CategoryCode} and SNOMED CT code {code.SnomedCode}");
            }

            if (displays.TryGetValue(code.SnomedCode, out var display) && display != code.Display)
            {
                throw row.Error(
                    "display", $"'{code.Display}' differs from '{display}' given for the same code in another category");
            }

            displays[code.SnomedCode] = code.Display;
            codes.Add(code);
        }

        return codes.ToArray();
    }

    private void CheckCodesAgainstCategories(CodeTableFile codesFile)
    {
        foreach (var row in codesFile.Rows)
        {
            var category = row.Required("category_code");
            if (!_codesByCategory.ContainsKey(category))
            {
                throw row.Error(
                    "category_code",
                    $"'{category}' is not a numeric code in {CodeTableNames.FileName(CodeTableNames.AdjustmentCategories)}");
            }
        }

        var empty = Categories.Where(c => _codesByCategory[c.Code].Count == 0).Select(c => c.Code).ToArray();
        if (empty.Length > 0)
        {
            throw codesFile.Error($"category(ies) {string.Join(", ", empty)} have no adjustment codes");
        }
    }

    private static RemovalOutcome ParseOutcome(CodeTableRow row) => row.Required("outcome") switch
    {
        "removed" => RemovalOutcome.Removed,
        "entered-in-error" => RemovalOutcome.EnteredInError,
        var other => throw row.Error("outcome", $"must be 'removed' or 'entered-in-error', not '{other}'"),
    };

    private static CodeTableEntry[] ReadSimple(CodeTableFile file, Func<CodeTableRow, string>? key = null) =>
        file.Rows.Select(r =>
        {
            var hasKebab = r.HasColumn("kebab_code");
            return Entry(
                file,
                TableOf(file),
                r.Required("code"),
                r.Required("display"),
                r.Url("system"),
                hasKebab ? r.Required("kebab_code") : string.Empty,
                hasKebab ? r.Url("kebab_system") : string.Empty,
                key: key?.Invoke(r) ?? string.Empty,
                note: r.HasColumn("note") ? r.Optional("note") : string.Empty);
        }).ToArray();

    private static CodeTableEntry[] ReadAnchors(CodeTableFile file) =>
        file.Rows.Select(r =>
        {
            var code = r.Required("code");
            if (!SnomedIdentifier.IsValid(code))
            {
                throw r.Error("code", $"'{code}' is not a valid SNOMED CT identifier");
            }

            return Entry(file, CodeTableNames.AnchorCodes, code, r.Required("display"), r.Url("system"), key: r.Required("key"));
        }).ToArray();

    private static string TableOf(CodeTableFile file) => file.FileName[..^".csv".Length];

    private static CodeTableEntry Entry(
        CodeTableFile file,
        string table,
        string code,
        string display,
        string system,
        string alternateCode = "",
        string alternateSystem = "",
        string categoryCode = "",
        bool requiresText = false,
        string key = "",
        string note = "") =>
        new(table, code, alternateCode, display, system, alternateSystem, categoryCode, requiresText, key, note, file.Version);

    private static FrozenDictionary<string, T> IndexUnique<T>(
        CodeTableFile file, IReadOnlyList<T> items, Func<T, string> key, string column)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!index.TryAdd(key(items[i]), items[i]))
            {
                throw file.Rows[i].Error(column, $"duplicate value '{key(items[i])}'");
            }
        }

        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, T> IndexBothCodes<T>(
        CodeTableFile file,
        IReadOnlyList<T> items,
        Func<T, string> code,
        Func<T, string> kebab,
        string codeColumn,
        string kebabColumn)
    {
        var index = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!index.TryAdd(code(items[i]), items[i]))
            {
                throw file.Rows[i].Error(codeColumn, $"duplicate value '{code(items[i])}'");
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (!index.TryAdd(kebab(items[i]), items[i]))
            {
                throw file.Rows[i].Error(
                    kebabColumn, $"duplicate value '{kebab(items[i])}' (codes and kebab-case codes share one namespace)");
            }
        }

        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
