using System.Globalization;
using System.Text.Json;

namespace MhaRights.Bench;

/// <summary>"--name value" pairs after the command word; flags are "--name" with no value.</summary>
internal sealed class Args(string[] args)
{
    public string? Get(string name)
    {
        var index = Array.IndexOf(args, "--" + name);
        return index >= 0 && index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[index + 1] : null;
    }

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required.");

    public bool Flag(string name) => Array.IndexOf(args, "--" + name) >= 0;

    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
