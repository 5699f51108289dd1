namespace MhaRights.Server.Rights;

/// <summary>A communication adjustment (reasonable-adjustment categories 001-006) staff must meet when explaining rights.</summary>
public sealed record CommunicationNeedInfo(string CategoryCode, string CategoryDisplay, string SnomedCode, string Display);

/// <summary>
/// The link between the two duties the service exists for: the reasonable-adjustment record says how a patient
/// needs information given, and every rights explanation must say how that was done (Equality Act 2010;
/// section-132.md §2.6). Implemented by the adjustments feature.
/// </summary>
public interface ICommunicationNeeds
{
    Task<IReadOnlyList<CommunicationNeedInfo>> ForPatientAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>As <see cref="ForPatientAsync"/> for many patients (an import round); patients without needs may be absent.</summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<CommunicationNeedInfo>>> ForPatientsAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        var needs = new Dictionary<string, IReadOnlyList<CommunicationNeedInfo>>(StringComparer.Ordinal);
        foreach (var id in patientIds)
        {
            needs[id] = await ForPatientAsync(id, cancellationToken);
        }

        return needs;
    }

    /// <summary>
    /// Needs on a record identified but not yet confirmed by a clinician: not binding on an attempt, but shown in the
    /// rights briefing (marked unconfirmed) so staff do not explain rights to a deaf patient without an interpreter
    /// while the record waits for confirmation.
    /// </summary>
    Task<IReadOnlyList<CommunicationNeedInfo>> UnconfirmedForPatientAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommunicationNeedInfo>>([]);
}

/// <summary>Used until an adjustments implementation is registered: no recorded needs.</summary>
internal sealed class NoCommunicationNeeds : ICommunicationNeeds
{
    public Task<IReadOnlyList<CommunicationNeedInfo>> ForPatientAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommunicationNeedInfo>>([]);
}
