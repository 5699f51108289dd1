using MhaRights.Server.Adjustments;
using MhaRights.Server.Reporting;
using MhaRights.Server.Rights.Duties;
using Microsoft.Data.Sqlite;

namespace MhaRights.Bench.Generator;

/// <summary>Writes generated patients with one prepared INSERT per table (see <see cref="BulkInsert"/>).</summary>
internal sealed class DatasetWriter : IDisposable
{
    private readonly BulkInsert _patients;
    private readonly BulkInsert _episodes;
    private readonly BulkInsert _duties;
    private readonly BulkInsert _attempts;
    private readonly BulkInsert _triggers;
    private readonly BulkInsert _records;
    private readonly BulkInsert _items;
    private readonly BulkInsert _audit;
    private readonly BulkInsert[] _all;

    public DatasetWriter(SqliteConnection connection)
    {
        _patients = new BulkInsert(connection, "Patients",
            "Id", "LocalId", "NhsNumber", "GivenName", "FamilyName", "DateOfBirth", "Sex", "EthnicCategory", "PreferredLanguage", "InterpreterNeeded",
            "Hospital", "Ward", "NearestRelativeStatus", "NearestRelativeName", "NearestRelativeRelationship", "NearestRelativeAddress", "NearestRelativeContact",
            "NearestRelativeCopyAskedTime", "ObjectsToNearestRelativeCopy", "CreateTime", "UpdateTime", "Version");
        _episodes = new BulkInsert(connection, "LegalStatusEpisodes",
            "Id", "PatientId", "Provision", "SuspendedProvision", "State", "Hospital", "Ward", "StartTime", "ExpiryTime", "RenewalCount", "LastRenewalTime",
            "EndTime", "EndReason", "EndNote", "PreviousEpisodeId", "NextEpisodeId", "ParentEpisodeId", "PlannedDischargeTime", "FirstMedicationTime",
            "PeriodStartTime", "LapsedTime", "CreateTime", "UpdateTime", "Version");
        _duties = new BulkInsert(connection, "RightsDuties",
            "Id", "PatientId", "EpisodeId", "Kind", "State", "Trigger", "LastTrigger", "Provision", "Hospital", "Ward", "OpenTime", "DueTime",
            "NextAttemptTime", "NextReminderTime", "FirstAttemptTime", "UnderstoodTime", "ResolvedTime", "ResolutionNote", "AttemptCount", "SupersededById",
            "OralGivenTime", "WrittenGivenTime", "AuthorityLapsedTime", "UpdateTime", "Version",
            "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime");
        _attempts = new BulkInsert(connection, "ExplanationAttempts",
            "Id", "DutyId", "PatientId", "AttemptTime", "ExplainedBy", "ExplainedByRole", "Provision", "Trigger", "OralGiven", "WrittenGiven", "LeafletId",
            "LeafletVersion", "LeafletLanguage", "InterpreterUsed", "AccessibleFormat", "Outcome", "CapacityNote", "ImhaInformationGiven",
            "NearestRelativeSharing", "NextAttemptTime", "CommunicationNeedsJson", "UnmetCommunicationNeeds", "Note", "State", "CorrectsId", "CorrectedById",
            "VoidReason", "VoidTime", "RecordedByPrincipal", "RecordedByRole", "RecordedByDisplayName", "CreateTime", "Version");
        _triggers = new BulkInsert(connection, "ScheduledTriggers",
            "Id", "PatientId", "EpisodeId", "Trigger", "FireTime", "Label", "FiredTime", "Cancelled", "Version");
        _records = new BulkInsert(connection, "AdjustmentRecords",
            "Id", "PatientId", "State", "SharingState", "ReviewState", "IdentificationSource", "IdentificationNote", "ReviewDueTime", "CreateTime", "UpdateTime",
            "Version", "Identified_DisplayName", "Identified_Principal", "Identified_Role", "Identified_Time", "LastReviewed_DisplayName",
            "LastReviewed_Principal", "LastReviewed_Role", "LastReviewed_Time", "NationalSync_LastAttemptTime", "NationalSync_LastOutcomeCode",
            "NationalSync_LastOutcomeDiagnostics", "NationalSync_LastRequestId", "NationalSync_LastSuccessTime", "NationalSync_NationalFlagId",
            "Removal_Comment", "Removal_ReasonCode", "Removal_BestInterest_DecisionMaker", "Removal_BestInterest_Summary", "Removal_By_DisplayName",
            "Removal_By_Principal", "Removal_By_Role", "Removal_By_Time", "SharingDecision_ConsentProxyRoleCode", "SharingDecision_Decision",
            "SharingDecision_RepresentativeName", "SharingDecision_RepresentativeRelationship", "SharingDecision_BestInterest_DecisionMaker",
            "SharingDecision_BestInterest_Summary", "SharingDecision_Recorded_DisplayName", "SharingDecision_Recorded_Principal",
            "SharingDecision_Recorded_Role", "SharingDecision_Recorded_Time", "ThresholdConfirmed_DisplayName", "ThresholdConfirmed_Principal",
            "ThresholdConfirmed_Role", "ThresholdConfirmed_Time", "ThresholdConfirmedByNhsUser_OdsOrganizationCode",
            "ThresholdConfirmedByNhsUser_SdsJobRoleCode", "ThresholdConfirmedByNhsUser_SdsRoleProfileId", "ThresholdConfirmedByNhsUser_SdsUserId");
        _items = new BulkInsert(connection, "AdjustmentItems",
            "Id", "PatientId", "RecordId", "Kind", "State", "CategoryCode", "SnomedCode", "Display", "BespokeText", "ImpairmentCode", "OtherText",
            "ConditionCategoryCode", "CodeTableVersion", "FreeText", "SupersedesId", "SupersededById", "NationalId", "CreateTime", "UpdateTime", "Version",
            "Recorded_DisplayName", "Recorded_Principal", "Recorded_Role", "Recorded_Time", "RecordedByNhsUser_OdsOrganizationCode",
            "RecordedByNhsUser_SdsJobRoleCode", "RecordedByNhsUser_SdsRoleProfileId", "RecordedByNhsUser_SdsUserId", "Removal_Comment",
            "Removal_ReasonCode", "Removal_BestInterest_DecisionMaker", "Removal_BestInterest_Summary", "Removal_By_DisplayName", "Removal_By_Principal",
            "Removal_By_Role", "Removal_By_Time");
        _audit = new BulkInsert(connection, "AuditEvents",
            "Sequence", "EventTime", "ActorPrincipal", "ActorRole", "ActorDisplayName", "Action", "Resource", "PatientId", "FromState", "ToState", "Trigger",
            "Reason", "RequestId", "DetailsJson", "PreviousHash", "Hash");
        _all = [_patients, _episodes, _duties, _attempts, _triggers, _records, _items, _audit];
    }

    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>
    {
        ["Patients"] = _patients.Rows,
        ["LegalStatusEpisodes"] = _episodes.Rows,
        ["RightsDuties"] = _duties.Rows,
        ["ExplanationAttempts"] = _attempts.Rows,
        ["ScheduledTriggers"] = _triggers.Rows,
        ["AdjustmentRecords"] = _records.Rows,
        ["AdjustmentItems"] = _items.Rows,
        ["AuditEvents"] = _audit.Rows,
    };

    public void Write(PatientBatch batch)
    {
        var p = batch.Patient;
        _patients.Execute(p.Id, p.LocalId, p.NhsNumber, p.GivenName, p.FamilyName, p.DateOfBirth, p.Sex, p.EthnicCategory, p.PreferredLanguage,
            p.InterpreterNeeded, p.Hospital, p.Ward, p.NearestRelativeStatus, p.NearestRelativeName, p.NearestRelativeRelationship, p.NearestRelativeAddress,
            p.NearestRelativeContact, p.NearestRelativeCopyAskedTime, p.ObjectsToNearestRelativeCopy, p.CreateTime, p.UpdateTime, p.Version);
        foreach (var e in batch.Episodes)
        {
            _episodes.Execute(e.Id, e.PatientId, e.Provision, e.SuspendedProvision, e.State, e.Hospital, e.Ward, e.StartTime, e.ExpiryTime, e.RenewalCount,
                e.LastRenewalTime, e.EndTime, e.EndReason, e.EndNote, e.PreviousEpisodeId, e.NextEpisodeId, e.ParentEpisodeId, e.PlannedDischargeTime,
                e.FirstMedicationTime, e.PeriodStartTime, e.LapsedTime, e.CreateTime, e.UpdateTime, e.Version);
        }

        // The report's projection of each duty's standing attempts, as the service keeps it (a patient's attempts are all in its batch).
        var standing = batch.Attempts.Where(a => a.State == AttemptState.Recorded).ToLookup(a => a.DutyId, StandingAttempt.Of, StringComparer.Ordinal);
        foreach (var d in batch.Duties)
        {
            DutyReportFacts.Apply(d, standing[d.Id]);
            _duties.Execute(d.Id, d.PatientId, d.EpisodeId, d.Kind, d.State, d.Trigger, d.LastTrigger, d.Provision, d.Hospital, d.Ward, d.OpenTime, d.DueTime,
                d.NextAttemptTime, d.NextReminderTime, d.FirstAttemptTime, d.UnderstoodTime, d.ResolvedTime, d.ResolutionNote, d.AttemptCount, d.SupersededById,
                d.OralGivenTime, d.WrittenGivenTime, d.AuthorityLapsedTime, d.UpdateTime, d.Version,
                d.FirstUnderstoodTime, d.RenewalAttempted, d.TribunalAttempted, d.LatestInformationTime);
        }

        foreach (var a in batch.Attempts)
        {
            _attempts.Execute(a.Id, a.DutyId, a.PatientId, a.AttemptTime, a.ExplainedBy, a.ExplainedByRole, a.Provision, a.Trigger, a.OralGiven, a.WrittenGiven,
                a.LeafletId, a.LeafletVersion, a.LeafletLanguage, a.InterpreterUsed, a.AccessibleFormat, a.Outcome, a.CapacityNote, a.ImhaInformationGiven,
                a.NearestRelativeSharing, a.NextAttemptTime, a.CommunicationNeedsJson, a.UnmetCommunicationNeeds, a.Note, a.State, a.CorrectsId, a.CorrectedById,
                a.VoidReason, a.VoidTime, a.RecordedByPrincipal, a.RecordedByRole, a.RecordedByDisplayName, a.CreateTime, a.Version);
        }

        foreach (var t in batch.Triggers)
        {
            _triggers.Execute(t.Id, t.PatientId, t.EpisodeId, t.Trigger, t.FireTime, t.Label, t.FiredTime, t.Cancelled, t.Version);
        }

        if (batch.AdjustmentRecord is { } r)
        {
            _records.Execute(r.Id, r.PatientId, r.State, r.SharingState, r.ReviewState, r.IdentificationSource, r.IdentificationNote, r.ReviewDueTime,
                r.CreateTime, r.UpdateTime, r.Version, r.Identified.DisplayName, r.Identified.Principal, r.Identified.Role, r.Identified.Time,
                r.LastReviewed.DisplayName, r.LastReviewed.Principal, r.LastReviewed.Role, r.LastReviewed.Time, r.NationalSync.LastAttemptTime,
                r.NationalSync.LastOutcomeCode, r.NationalSync.LastOutcomeDiagnostics, r.NationalSync.LastRequestId, r.NationalSync.LastSuccessTime,
                r.NationalSync.NationalFlagId, r.Removal.Comment, r.Removal.ReasonCode, r.Removal.BestInterest.DecisionMaker, r.Removal.BestInterest.Summary,
                r.Removal.By.DisplayName, r.Removal.By.Principal, r.Removal.By.Role, r.Removal.By.Time, r.SharingDecision.ConsentProxyRoleCode,
                r.SharingDecision.Decision, r.SharingDecision.RepresentativeName, r.SharingDecision.RepresentativeRelationship,
                r.SharingDecision.BestInterest.DecisionMaker, r.SharingDecision.BestInterest.Summary, r.SharingDecision.Recorded.DisplayName,
                r.SharingDecision.Recorded.Principal, r.SharingDecision.Recorded.Role, r.SharingDecision.Recorded.Time, r.ThresholdConfirmed.DisplayName,
                r.ThresholdConfirmed.Principal, r.ThresholdConfirmed.Role, r.ThresholdConfirmed.Time, r.ThresholdConfirmedByNhsUser.OdsOrganizationCode,
                r.ThresholdConfirmedByNhsUser.SdsJobRoleCode, r.ThresholdConfirmedByNhsUser.SdsRoleProfileId, r.ThresholdConfirmedByNhsUser.SdsUserId);
        }

        foreach (var i in batch.AdjustmentItems)
        {
            WriteItem(i);
        }

        foreach (var a in batch.Audit)
        {
            _audit.Execute(a.Sequence, a.EventTime, a.ActorPrincipal, a.ActorRole, a.ActorDisplayName, a.Action, a.Resource, a.PatientId, a.FromState,
                a.ToState, a.Trigger, a.Reason, a.RequestId, a.DetailsJson, a.PreviousHash, a.Hash);
        }
    }

    public void Flush()
    {
        foreach (var insert in _all)
        {
            insert.Flush();
        }
    }

    public void Dispose()
    {
        foreach (var insert in _all)
        {
            insert.Dispose();
        }
    }

    private void WriteItem(AdjustmentItem i) =>
        _items.Execute(i.Id, i.PatientId, i.RecordId, i.Kind, i.State, i.CategoryCode, i.SnomedCode, i.Display, i.BespokeText, i.ImpairmentCode, i.OtherText,
            i.ConditionCategoryCode, i.CodeTableVersion, i.FreeText, i.SupersedesId, i.SupersededById, i.NationalId, i.CreateTime, i.UpdateTime, i.Version,
            i.Recorded.DisplayName, i.Recorded.Principal, i.Recorded.Role, i.Recorded.Time, i.RecordedByNhsUser.OdsOrganizationCode,
            i.RecordedByNhsUser.SdsJobRoleCode, i.RecordedByNhsUser.SdsRoleProfileId, i.RecordedByNhsUser.SdsUserId, i.Removal.Comment, i.Removal.ReasonCode,
            i.Removal.BestInterest.DecisionMaker, i.Removal.BestInterest.Summary, i.Removal.By.DisplayName, i.Removal.By.Principal, i.Removal.By.Role,
            i.Removal.By.Time);
}
