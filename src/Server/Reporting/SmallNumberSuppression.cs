namespace MhaRights.Server.Reporting;

/// <summary>
/// Small-number suppression so no patient can be re-identified from a breakdown (NHS statistical disclosure
/// practice for health-inequalities reporting).
/// <list type="number">
/// <item><b>Primary</b>: a group whose numerator or denominator is below <see cref="Threshold"/> (including 0) is
/// withheld.</item>
/// <item><b>Secondary</b>: the headline is the sum of the groups of every breakdown, so "headline − visible groups"
/// gives the sum of the withheld ones. Further groups (smallest denominator first, then smallest numerator, then
/// report order) are withheld until the withheld groups are at least two and together have a numerator and a
/// denominator of at least <see cref="Threshold"/> — so the difference only ever reveals an aggregate that would
/// itself pass primary suppression — or until every group is withheld.</item>
/// </list>
/// Not attempted: differencing across different reports (e.g. a ward report against the hospital report, or two
/// overlapping periods); the recipients of these reports are auditors under the trust's information governance.
/// </summary>
public static class SmallNumberSuppression
{
    public const int Threshold = 5;

    public static bool IsSmall(long numerator, long denominator) => numerator < Threshold || denominator < Threshold;

    /// <summary>
    /// A ratio headline: withheld when its denominator is small; when only its numerator is small, withheld only if
    /// the trust's rule says so (<c>Policy:SuppressHeadlineOnSmallNumerator</c>, default false). Showing it reveals
    /// no group: every group's numerator is at most the headline's, so every group is then withheld (primary).
    /// </summary>
    public static SuppressionReason Headline(long numerator, long denominator, bool suppressOnSmallNumerator) =>
        denominator < Threshold || (suppressOnSmallNumerator && numerator < Threshold) ? SuppressionReason.SmallNumber : SuppressionReason.None;

    /// <summary>The suppression of each row of one breakdown (same order as <paramref name="rows"/>).</summary>
    public static SuppressionReason[] Apply(IReadOnlyList<(long Numerator, long Denominator)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var reasons = rows.Select(r => IsSmall(r.Numerator, r.Denominator) ? SuppressionReason.SmallNumber : SuppressionReason.None).ToArray();
        while (true)
        {
            var hidden = Enumerable.Range(0, rows.Count).Where(i => reasons[i] != SuppressionReason.None).ToList();
            if (hidden.Count == 0 || hidden.Count == rows.Count)
            {
                return reasons;
            }

            var numerator = hidden.Sum(i => rows[i].Numerator);
            var denominator = hidden.Sum(i => rows[i].Denominator);
            if (hidden.Count >= 2 && numerator >= Threshold && denominator >= Threshold)
            {
                return reasons;
            }

            var next = Enumerable.Range(0, rows.Count)
                .Where(i => reasons[i] == SuppressionReason.None)
                .OrderBy(i => rows[i].Denominator)
                .ThenBy(i => rows[i].Numerator)
                .ThenBy(i => i)
                .First();
            reasons[next] = SuppressionReason.Secondary;
        }
    }
}
