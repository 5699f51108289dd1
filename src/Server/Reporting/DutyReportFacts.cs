using MhaRights.Server.Rights.Duties;

namespace MhaRights.Server.Reporting;

/// <summary>The columns of a standing attempt the report projection is computed from.</summary>
public readonly record struct StandingAttempt(DateTime AttemptTime, AttemptOutcome Outcome, DutyTrigger Trigger, bool OralGiven, bool WrittenGiven)
{
    public static StandingAttempt Of(ExplanationAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.AttemptTime, attempt.Outcome, attempt.Trigger, attempt.OralGiven, attempt.WrittenGiven);
    }
}

/// <summary>
/// The compliance report's per-duty projection of the duty's standing attempts (issue 16): the facts the measures need
/// from the attempts (<see cref="RightsDuty.FirstUnderstoodTime"/>, <see cref="RightsDuty.RenewalAttempted"/>,
/// <see cref="RightsDuty.TribunalAttempted"/>, <see cref="RightsDuty.LatestInformationTime"/>), kept on the duty row
/// in the same unit of work as every attempt recorded, corrected or voided (ExplanationRecorder). The current-record
/// report then reads one narrow row per duty instead of merging millions of attempts; as-of reports still derive the
/// same facts from the attempts and the audit trail (Reporting/Queries/DutyFactExpressions), and
/// DutyReportFactsTests checks the two agree on every duty.
/// </summary>
public static class DutyReportFacts
{
    /// <summary>Recomputes the projection from the duty's standing attempts (all of them; order does not matter).</summary>
    public static void Apply(RightsDuty duty, IEnumerable<StandingAttempt> standing)
    {
        ArgumentNullException.ThrowIfNull(duty);
        ArgumentNullException.ThrowIfNull(standing);
        DateTime? firstOral = null, firstWritten = null, latestInformation = null;
        bool renewal = false, tribunal = false;
        var understood = new List<DateTime>();
        foreach (var attempt in standing)
        {
            var time = attempt.AttemptTime;
            if (attempt.OralGiven && (firstOral is null || time < firstOral))
            {
                firstOral = time;
            }

            if (attempt.WrittenGiven && (firstWritten is null || time < firstWritten))
            {
                firstWritten = time;
            }

            if (attempt.Outcome == AttemptOutcome.Understood)
            {
                understood.Add(time);
            }

            if (attempt.Outcome is AttemptOutcome.Understood or AttemptOutcome.PartlyUnderstood or AttemptOutcome.NotUnderstood
                && (latestInformation is null || time > latestInformation))
            {
                latestInformation = time;
            }

            renewal |= attempt.Trigger == DutyTrigger.Renewal;
            tribunal |= attempt.Trigger is DutyTrigger.TribunalWindow or DutyTrigger.AutomaticReference;
        }

        // s132(3) (Rights/Rules/Section132_3): understanding counts from the first understood attempt by which the
        // information had been given both orally and in writing (by that attempt or earlier ones).
        DateTime? firstUnderstood = null;
        foreach (var time in understood)
        {
            if (firstOral <= time && firstWritten <= time && (firstUnderstood is null || time < firstUnderstood))
            {
                firstUnderstood = time;
            }
        }

        duty.FirstUnderstoodTime = firstUnderstood;
        duty.RenewalAttempted = renewal;
        duty.TribunalAttempted = tribunal;
        duty.LatestInformationTime = latestInformation;
    }
}
