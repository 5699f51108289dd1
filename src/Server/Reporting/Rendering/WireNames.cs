using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace MhaRights.Server.Reporting.Rendering;

/// <summary>The proto names of generated enum values ("PROVISION_SECTION_3"), as the wire and the JSON output spell them.</summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<(Type, string), string> Cache = new();

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return Cache.GetOrAdd((typeof(TEnum), name), key =>
            key.Item1.GetField(key.Item2, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? key.Item2);
    }

    /// <summary>The proto name without its enum prefix ("BREAKDOWN_DIMENSION_SEX" → "SEX").</summary>
    public static string Short<TEnum>(TEnum value, string prefix)
        where TEnum : struct, Enum
    {
        var name = Of(value);
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }
}
