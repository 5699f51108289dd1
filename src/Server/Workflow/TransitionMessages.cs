using System.Globalization;
using System.Text;

namespace MhaRights.Server.Workflow;

/// <summary>
/// Sentences a clerk understands for a refused trigger; Stateless's own text ("No valid leaving transitions are
/// permitted ... Consider ignoring the trigger") names engine concepts, not the record in front of them.
/// </summary>
public static class TransitionMessages
{
    /// <summary>The sentence when nothing more specific is known about the machine.</summary>
    public static string Default(object state, object trigger, IReadOnlyList<string> unmetGuards) =>
        For("record", state, trigger, unmetGuards);

    /// <summary>"This duty is understood, so 'close' is not possible." or, when guards failed, what must hold first.</summary>
    public static string For(string noun, object state, object trigger, IReadOnlyList<string> unmetGuards)
    {
        ArgumentNullException.ThrowIfNull(unmetGuards);
        var prefix = $"This {noun} is {Words(state)}";
        return unmetGuards.Count == 0
            ? $"{prefix}, so '{Words(trigger)}' is not possible."
            : $"{prefix}; '{Words(trigger)}' is possible only when {string.Join(" and ", unmetGuards)}.";
    }

    /// <summary>Enum names in words: ReattemptScheduled → "reattempt scheduled" (acronyms such as ACTIVE stay as written).</summary>
    public static string Words(object value)
    {
        var name = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        var words = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                words.Append(' ');
            }

            words.Append(char.IsUpper(c) && i + 1 < name.Length && char.IsLower(name[i + 1]) ? char.ToLowerInvariant(c) : c);
        }

        return words.ToString();
    }
}
