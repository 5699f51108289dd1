using MhaRights.Server.Audit;

namespace MhaRights.Server.Workflow;

/// <summary>
/// What a state machine instance needs besides the entity: the audit log its transition hook writes to and the
/// why of the change (reason, domain trigger) for the audit event.
/// </summary>
public sealed class TransitionContext<TEntity>(TEntity entity, AuditLog audit, string resource, string patientId)
{
    public TEntity Entity { get; } = entity;

    public AuditLog Audit { get; } = audit;

    public string Resource { get; } = resource;

    public string PatientId { get; } = patientId;

    /// <summary>Reason recorded with the transition (corrections, not-applicable, sweeper explanations).</summary>
    public string? Reason { get; init; }

    /// <summary>The domain trigger behind the transition (e.g. RENEWAL), when it differs from the machine trigger.</summary>
    public string? Cause { get; init; }

    /// <summary>Optional JSON details for the audit event.</summary>
    public string? DetailsJson { get; init; }

    /// <summary>Audits a transition; shared by every workflow's OnTransitioned hook.</summary>
    internal void RecordTransition(string from, string to, string trigger) =>
        Audit.Record(new AuditEntry(
            Action: trigger,
            Resource: Resource,
            PatientId: PatientId,
            FromState: from,
            ToState: to,
            Trigger: Cause ?? trigger,
            Reason: Reason,
            DetailsJson: DetailsJson));
}
