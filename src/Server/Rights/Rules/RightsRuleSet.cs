using System.Collections.Frozen;
using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// An immutable rule table: one <see cref="ProvisionRule"/> per <see cref="Provision"/>, in force from
/// <see cref="EffectiveFrom"/> until the next set in the <see cref="RightsRuleBook"/> commences.
/// </summary>
public sealed class RightsRuleSet
{
    public RightsRuleSet(string name, Instant effectiveFrom, IEnumerable<ProvisionRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rules);

        var table = new Dictionary<Provision, ProvisionRule>();
        foreach (var rule in rules)
        {
            if (!table.TryAdd(rule.Provision, rule))
            {
                throw new ArgumentException($"Rule set '{name}' has more than one row for {rule.Provision}.", nameof(rules));
            }
        }

        var missing = Enum.GetValues<Provision>().Where(p => !table.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Rule set '{name}' has no row for: {string.Join(", ", missing)}.", nameof(rules));
        }

        Name = name;
        EffectiveFrom = effectiveFrom;
        Rules = table.ToFrozenDictionary();
    }

    public string Name { get; }

    /// <summary>First instant at which this set is in force (commencement is at local midnight, Europe/London).</summary>
    public Instant EffectiveFrom { get; }

    public IReadOnlyDictionary<Provision, ProvisionRule> Rules { get; }

    public ProvisionRule this[Provision provision] => Rules[provision];

    public override string ToString() => $"{Name} (from {EffectiveFrom})";
}
