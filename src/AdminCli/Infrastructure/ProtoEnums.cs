using System.Reflection;
using Google.Protobuf.Reflection;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Proto enums on the command line and in tables: each value in kebab case without the enum's prefix
/// ("partly-understood" for ATTEMPT_OUTCOME_PARTLY_UNDERSTOOD); input also accepts the proto names. The
/// UNSPECIFIED value is never accepted: it always means "not given".
/// </summary>
internal static class ProtoEnums
{
    public static T Parse<T>(string text, string what)
        where T : struct, Enum
    {
        var key = Normalize(text);
        foreach (var (value, names) in Values<T>())
        {
            if (names.Any(n => Normalize(n) == key))
            {
                return value;
            }
        }

        throw CliException.Usage($"{what}: '{text}' is not one of {Choices<T>()}");
    }

    public static bool TryParse<T>(string text, out T value)
        where T : struct, Enum
    {
        var key = Normalize(text);
        foreach (var (candidate, names) in Values<T>())
        {
            if (names.Any(n => Normalize(n) == key))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>"understood|partly-understood|..." for help texts and errors.</summary>
    public static string Choices<T>()
        where T : struct, Enum => string.Join("|", Values<T>().Select(v => v.Names[0]));

    /// <summary>The kebab-case name shown in tables and CSV; empty for UNSPECIFIED.</summary>
    public static string Display<T>(T value)
        where T : struct, Enum
    {
        if (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return string.Empty;
        }

        foreach (var (candidate, names) in Values<T>())
        {
            if (candidate.Equals(value))
            {
                return names[0];
            }
        }

        return value.ToString();
    }

    private static string Normalize(string text) =>
        text.Trim().Replace('_', '-').Replace(' ', '-').ToLowerInvariant();

    /// <summary>Every defined value except UNSPECIFIED, with its display name first and then the proto names.</summary>
    private static IEnumerable<(T Value, string[] Names)> Values<T>()
        where T : struct, Enum
    {
        var fields = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static);
        var original = fields.ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? f.Name);
        var zero = original.FirstOrDefault(kv => Convert.ToInt32(kv.Key, System.Globalization.CultureInfo.InvariantCulture) == 0).Value ?? string.Empty;
        var prefix = zero.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? zero[..^"UNSPECIFIED".Length] : string.Empty;
        foreach (var (value, name) in original)
        {
            if (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }

            var shortName = prefix.Length > 0 && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
            yield return (value, [shortName.Replace('_', '-').ToLowerInvariant(), name, value.ToString()]);
        }
    }
}

/// <summary>How the MHA office writes provisions and duties ("s37/41", "s132(1)"), both ways.</summary>
internal static class LegalNames
{
    private static readonly Dictionary<Provision, string> ProvisionShort = new()
    {
        [Provision.Informal] = "informal",
        [Provision.Section2] = "s2",
        [Provision.Section3] = "s3",
        [Provision.Section4] = "s4",
        [Provision.Section52] = "s5(2)",
        [Provision.Section54] = "s5(4)",
        [Provision.Section35] = "s35",
        [Provision.Section36] = "s36",
        [Provision.Section37] = "s37",
        [Provision.Section3741] = "s37/41",
        [Provision.Section38] = "s38",
        [Provision.Section44] = "s44",
        [Provision.Section45A] = "s45a",
        [Provision.Section46] = "s46",
        [Provision.Section47] = "s47",
        [Provision.Section4749] = "s47/49",
        [Provision.Section48] = "s48",
        [Provision.Section4849] = "s48/49",
        [Provision.Section135] = "s135",
        [Provision.Section136] = "s136",
        [Provision.CriminalProcedureInsanity] = "cpia",
        [Provision.OtherActs] = "other-acts",
        [Provision.Guardianship7] = "s7",
        [Provision.Guardianship37] = "guardianship-s37",
        [Provision.CommunityTreatmentOrder] = "cto",
        [Provision.CommunityTreatmentOrderRecall] = "cto-recall",
        [Provision.ConditionalDischarge] = "conditional-discharge",
    };

    private static readonly Dictionary<DutyKind, string> DutyShort = new()
    {
        [DutyKind.Section1321] = "s132(1)",
        [DutyKind.Section1322] = "s132(2)",
        [DutyKind.Section132A] = "s132a",
        [DutyKind.Section130D] = "s130d",
        [DutyKind.NearestRelativeCopy132] = "nr-copy-132",
        [DutyKind.NearestRelativeCopy130D] = "nr-copy-130d",
        [DutyKind.Section133DischargeNotice] = "s133",
        [DutyKind.TribunalReference687] = "s68(7)",
    };

    /// <summary>Other names the office uses for a provision: the CTO by the section that makes it, the recall by s17E.</summary>
    private static readonly Dictionary<string, Provision> ProvisionAliases = new(StringComparer.Ordinal)
    {
        ["s17a"] = Provision.CommunityTreatmentOrder,
        ["s17e"] = Provision.CommunityTreatmentOrderRecall,
    };

    // Help shows the forms that need no shell quoting: "s5(2)" and "s132(1)" are also accepted, but brackets
    // must be quoted in bash and PowerShell, so "s5-2" and "s132-1" are the ones to type.
    public const string ProvisionExamples = "s2, s3, s5-2, s5-4, s37-41, s136, cto, cto-recall (s17e) (or the proto name, e.g. PROVISION_SECTION_3)";

    public const string DutyChoices = "s132-1|s132-2|s132a|s130d|nr-copy-132|nr-copy-130d|s133";

    public static string Display(Provision provision) => ProvisionShort.TryGetValue(provision, out var s) ? s : string.Empty;

    public static string Display(DutyKind kind) => DutyShort.TryGetValue(kind, out var s) ? s : string.Empty;

    public static bool TryParseProvision(string text, out Provision provision)
    {
        var key = NormalizeLegal(text);
        foreach (var (value, name) in ProvisionShort)
        {
            if (NormalizeLegal(name) == key)
            {
                provision = value;
                return true;
            }
        }

        if (ProvisionAliases.TryGetValue(key, out provision))
        {
            return true;
        }

        // "3", "section 3", "37/41", and the proto names.
        if (ProvisionShort.Where(kv => kv.Value.StartsWith('s')).Select(kv => (kv.Key, Bare: NormalizeLegal(kv.Value)[1..])).FirstOrDefault(x => x.Bare == key) is { Bare: not null } bare)
        {
            provision = bare.Key;
            return true;
        }

        return ProtoEnums.TryParse(text, out provision);
    }

    public static Provision ParseProvision(string text, string what) =>
        TryParseProvision(text, out var provision) ? provision : throw CliException.Usage($"{what}: '{text}' is not a provision; use for example {ProvisionExamples}");

    public static bool TryParseDuty(string text, out DutyKind kind)
    {
        var key = NormalizeLegal(text);
        foreach (var (value, name) in DutyShort)
        {
            if (NormalizeLegal(name) == key)
            {
                kind = value;
                return true;
            }
        }

        return ProtoEnums.TryParse(text, out kind);
    }

    public static DutyKind ParseDuty(string text, string what) =>
        TryParseDuty(text, out var kind) ? kind : throw CliException.Usage($"{what}: '{text}' is not a duty; use one of {DutyChoices}");

    /// <summary>"Section 37/41" → "s37/41", "s5-2" → "s5(2)"-equivalent key: lower case, no spaces, brackets as dashes.</summary>
    private static string NormalizeLegal(string text)
    {
        var s = text.Trim().ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("section", "s", StringComparison.Ordinal).Replace('(', '-').Replace(")", string.Empty, StringComparison.Ordinal)
            .Replace('_', '-').Replace('/', '-');
        return s.Replace("s-", "s", StringComparison.Ordinal);
    }
}
