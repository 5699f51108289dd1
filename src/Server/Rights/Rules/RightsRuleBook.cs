using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// Rule sets ordered by commencement, so changes in the law (e.g. the MHA 2025, §1.8) are added as new sets
/// rather than edits (§8.4). Pick the set by the instant the authority started, not "now".
/// </summary>
public sealed class RightsRuleBook
{
    private readonly RightsRuleSet[] _sets;

    public RightsRuleBook(IEnumerable<RightsRuleSet> ruleSets)
    {
        ArgumentNullException.ThrowIfNull(ruleSets);
        _sets = [.. ruleSets.OrderBy(s => s.EffectiveFrom)];
        if (_sets.Length == 0)
        {
            throw new ArgumentException("A rule book needs at least one rule set.", nameof(ruleSets));
        }

        for (var i = 1; i < _sets.Length; i++)
        {
            if (_sets[i].EffectiveFrom == _sets[i - 1].EffectiveFrom)
            {
                throw new ArgumentException($"Rule sets '{_sets[i - 1].Name}' and '{_sets[i].Name}' commence at the same instant.", nameof(ruleSets));
            }
        }

        RuleSets = Array.AsReadOnly(_sets);
    }

    /// <summary>The shipped rule sets (<see cref="RightsRuleSets.All"/>).</summary>
    public static RightsRuleBook Default { get; } = new(RightsRuleSets.All);

    /// <summary>Ascending by <see cref="RightsRuleSet.EffectiveFrom"/>.</summary>
    public IReadOnlyList<RightsRuleSet> RuleSets { get; }

    /// <summary>The set in force at <paramref name="at"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Before the earliest set commenced (the law before then is not modelled).</exception>
    public RightsRuleSet ForInstant(Instant at)
    {
        for (var i = _sets.Length - 1; i >= 0; i--)
        {
            if (_sets[i].EffectiveFrom <= at)
            {
                return _sets[i];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(at), at, $"No rule set is in force before {_sets[0].EffectiveFrom}.");
    }

    public ProvisionRule RuleFor(Provision provision, Instant at) => ForInstant(at)[provision];
}
