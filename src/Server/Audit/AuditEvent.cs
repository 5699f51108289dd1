namespace MhaRights.Server.Audit;

/// <summary>
/// One append-only audit event. The model exposes no update or delete path; each event's hash chains to the
/// previous one so an edit, removal or reordering is detectable (AuditChain).
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain, from 1 without gaps. Assigned under the write gate.</summary>
    public long Sequence { get; set; }

    public DateTime EventTime { get; set; }

    public required string ActorPrincipal { get; set; }

    public required string ActorRole { get; set; }

    public string? ActorDisplayName { get; set; }

    public required string Action { get; set; }

    public required string Resource { get; set; }

    public string? PatientId { get; set; }

    public string? FromState { get; set; }

    public string? ToState { get; set; }

    public string? Trigger { get; set; }

    public string? Reason { get; set; }

    public string? RequestId { get; set; }

    public string? DetailsJson { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
