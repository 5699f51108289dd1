using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights.Duties;

namespace MhaRights.Server.Rights;

/// <summary>
/// The reads the domain code makes once per patient step (open duties, the active episode, pending triggers,
/// communication needs, the patient), taken for many patients in one query each by a caller that applies one step
/// to each of them between two saves: the import's rounds (issue 16). The domain methods use a preloaded value when
/// there is one and read the database otherwise, so their rules are the same either way. A preloaded value is what
/// the database held when it was read, as the domain's own read would give until the next save: the caller clears
/// it before saving. Scoped: one request's unit of work.
/// </summary>
public sealed class PreloadedReads
{
    /// <summary>Open duties by patient, in RightsLifecycle.OpenDutiesAsync's order.</summary>
    public Snapshot<List<RightsDuty>> OpenDuties { get; } = new();

    /// <summary>The active (or recalled) episode by patient, as LegalStatusLifecycle.CurrentEpisodeAsync reads it.</summary>
    public Snapshot<LegalStatusEpisode?> CurrentEpisodes { get; } = new();

    /// <summary>Triggers not yet fired or cancelled, by episode.</summary>
    public Snapshot<List<ScheduledTrigger>> PendingTriggers { get; } = new();

    /// <summary>Communication needs an attempt must address, by patient.</summary>
    public Snapshot<IReadOnlyList<CommunicationNeedInfo>> CommunicationNeeds { get; } = new();

    /// <summary>Whether the patient record says an interpreter is needed, by patient.</summary>
    public Snapshot<bool> InterpreterNeeded { get; } = new();

    /// <summary>Tracked patients by id.</summary>
    public Snapshot<Patient> Patients { get; } = new();

    public void Clear()
    {
        OpenDuties.Clear();
        CurrentEpisodes.Clear();
        PendingTriggers.Clear();
        CommunicationNeeds.Clear();
        InterpreterNeeded.Clear();
        Patients.Clear();
    }

    /// <summary>One read's values by key (patient or episode id).</summary>
    public sealed class Snapshot<T>
    {
        private readonly Dictionary<string, T> _byKey = new(StringComparer.Ordinal);

        public bool TryGet(string key, out T value) => _byKey.TryGetValue(key, out value!);

        /// <summary>Sets the value of every key (what the read found for it, possibly nothing), so none reads again.</summary>
        public void Set(IEnumerable<string> keys, Func<string, T> value)
        {
            ArgumentNullException.ThrowIfNull(keys);
            ArgumentNullException.ThrowIfNull(value);
            foreach (var key in keys)
            {
                _byKey[key] = value(key);
            }
        }

        public void Clear() => _byKey.Clear();
    }
}
