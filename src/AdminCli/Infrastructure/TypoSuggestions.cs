using System.CommandLine;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// "did you mean `rights`?" for a mistyped command or option. System.CommandLine 2.0 only offers typo corrections
/// through its own multi-line parse-error output, and this CLI prints every error as one line, so the nearest
/// names are found here: the subcommands and options of the command that was reached, by edit distance.
/// </summary>
internal static class TypoSuggestions
{
    /// <summary>The closest names to <paramref name="token"/> among what <paramref name="command"/> accepts; empty when nothing is close.</summary>
    public static IReadOnlyList<string> For(string token, Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(token))
        {
            return [];
        }

        var candidates = token.StartsWith('-')
            ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
                .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));

        // A typo is a few edits away; a third of the word (at least 1, at most 3) keeps "status" from matching "audit".
        var limit = Math.Clamp(token.TrimStart('-').Length / 3, 1, 3);
        var scored = candidates.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Distance(token, name)))
            .Where(c => c.Distance <= limit || (token.Length >= 3 && c.Name.StartsWith(token, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return scored.Count == 0 ? [] : [.. scored.Where(c => c.Distance == scored[0].Distance).Select(c => c.Name).Take(3)];
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment), case-insensitive: a swapped pair ("rigths") costs one.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
