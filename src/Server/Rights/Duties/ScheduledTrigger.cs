namespace MhaRights.Server.Rights.Duties;

/// <summary>
/// A dated re-explanation trigger computed when an episode starts or is renewed (tribunal window openings,
/// automatic references, Part 4 three-month point, renewal due). The deadline sweeper fires each one once.
/// </summary>
public sealed class ScheduledTrigger
{
    public required string Id { get; set; }

    public required string PatientId { get; set; }

    public required string EpisodeId { get; set; }

    public DutyTrigger Trigger { get; set; }

    public DateTime FireTime { get; set; }

    public required string Label { get; set; }

    public DateTime? FiredTime { get; set; }

    /// <summary>Set when the episode ends before the trigger fires.</summary>
    public bool Cancelled { get; set; }

    public long Version { get; set; }
}
