using MhaRights.Server.Rights.Duties;

namespace MhaRights.Server.Rights.Rules;

/// <summary>What is still missing before an explanation duty can be met.</summary>
[Flags]
public enum OutstandingInformation
{
    None = 0,
    Oral = 1,
    Written = 2,
}

/// <summary>
/// s132(3) (and its twins s132A(2), s130D(4)): the steps "shall include giving the requisite information both orally
/// and in writing" (section-132.md §1.1-1.3). Understanding alone does not meet the duty: the duty is UNDERSTOOD only
/// when a standing attempt on it gave the information orally, one gave it in writing (the same attempt or another:
/// a leaflet left on Monday and a talk on Tuesday together meet it) and the latest attempt was understood.
/// </summary>
public static class Section132_3
{
    /// <summary>The explanation duties whose statute requires oral and written information, with the citation.</summary>
    public static IReadOnlyDictionary<DutyKind, string> OralAndWritten { get; } = new Dictionary<DutyKind, string>
    {
        [DutyKind.Section132_1] = "s132(3)",
        [DutyKind.Section132_2] = "s132(3)",
        [DutyKind.Section132A] = "s132A(2)",
        [DutyKind.Section130D] = "s130D(4)",
    };

    /// <summary>What the duty still lacks (none for duties the rule does not cover).</summary>
    public static OutstandingInformation Outstanding(RightsDuty duty)
    {
        ArgumentNullException.ThrowIfNull(duty);
        if (!OralAndWritten.ContainsKey(duty.Kind))
        {
            return OutstandingInformation.None;
        }

        return (duty.OralGivenTime is null ? OutstandingInformation.Oral : OutstandingInformation.None)
            | (duty.WrittenGivenTime is null ? OutstandingInformation.Written : OutstandingInformation.None);
    }

    /// <summary>A sentence for the audit trail and the resolution note.</summary>
    public static string Describe(RightsDuty duty, OutstandingInformation outstanding)
    {
        ArgumentNullException.ThrowIfNull(duty);
        var missing = outstanding switch
        {
            OutstandingInformation.Oral => "orally",
            OutstandingInformation.Written => "in writing",
            _ => "orally and in writing",
        };
        return $"Understood, but the information has not yet been given {missing} ({OralAndWritten[duty.Kind]}); the duty stays open until it is.";
    }
}
