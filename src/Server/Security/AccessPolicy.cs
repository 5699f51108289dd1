using static MhaRights.Server.Security.Roles;

namespace MhaRights.Server.Security;

/// <summary>
/// The RPC x role matrix: the one place that says who may call what (published in docs/security.md, generated
/// from this table). Methods not listed are refused for everyone: new RPCs are closed until someone decides.
/// Health checks and server reflection (the public contract) need no credentials.
/// </summary>
public static class AccessPolicy
{
    private static readonly string[] Clinical = [EprIntegration, Clinician, MhaOffice];
    private static readonly string[] Recording = [EprIntegration, MhaOffice];
    private static readonly string[] ClinicalAndAudit = [EprIntegration, Clinician, MhaOffice, Auditor];
    private static readonly string[] Office = [MhaOffice];
    private static readonly string[] Everyone = [EprIntegration, Clinician, MhaOffice, Auditor, Admin];

    /// <summary>Methods callable without credentials (liveness/readiness probes and the published contract).</summary>
    public static readonly IReadOnlyList<string> AnonymousServices = ["grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection"];

    /// <summary>Allowed roles per service method ("mharights.v1.Service/Method").</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Matrix = Build(new()
    {
        ["PatientService"] = new()
        {
            ["CreatePatient"] = Clinical,
            ["GetPatient"] = ClinicalAndAudit,
            ["ListPatients"] = ClinicalAndAudit,
            ["UpdatePatient"] = Clinical,
            ["SetNearestRelative"] = Clinical,
        },
        ["LegalStatusService"] = new()
        {
            ["StartEpisode"] = Recording,
            ["GetEpisode"] = ClinicalAndAudit,
            ["ListEpisodes"] = ClinicalAndAudit,
            ["ChangeProvision"] = Recording,
            ["RenewEpisode"] = Recording,
            ["TransferEpisode"] = Recording,
            ["RecallCommunityPatient"] = Recording,
            ["ReleaseFromRecall"] = Recording,
            ["RevokeCommunityTreatmentOrder"] = Recording,
            ["PlanDischarge"] = Recording,
            ["EndEpisode"] = Recording,
            ["RecordMedicationStart"] = Clinical,
        },
        ["RightsService"] = new()
        {
            ["GetDuty"] = ClinicalAndAudit,
            ["ListDuties"] = ClinicalAndAudit,
            ["RecordExplanationAttempt"] = Clinical,
            ["GetExplanationAttempt"] = ClinicalAndAudit,
            ["ListExplanationAttempts"] = ClinicalAndAudit,
            // Corrections and voids are the MHA office's (issue 3): the original stays in the audit trail.
            ["CorrectExplanationAttempt"] = Office,
            ["VoidExplanationAttempt"] = Office,
            ["RecordNoticeSent"] = Recording,
            ["RecordNoticeNotRequired"] = Clinical,
            ["MarkDutyNotApplicable"] = Office,
            ["RequestReexplanation"] = Clinical,
            ["GetRightsStatus"] = ClinicalAndAudit,
            ["GetRightsBriefing"] = Clinical,
            ["ListWorklistItems"] = Clinical,
        },
        ["AdjustmentService"] = new()
        {
            // Existence of a flag is visible to every authorised caller; content only to clinical roles (Adjustments/).
            ["GetAdjustmentRecord"] = Everyone,
            ["IdentifyAdjustmentNeeds"] = Clinical,
            ["ActivateAdjustmentRecord"] = Clinical,
            ["RemoveAdjustmentRecord"] = Clinical,
            ["MarkAdjustmentRecordEnteredInError"] = Clinical,
            ["CreateAdjustmentItem"] = Clinical,
            ["ListAdjustmentItems"] = Clinical,
            ["ReplaceAdjustmentItem"] = Clinical,
            ["RemoveAdjustmentItem"] = Clinical,
            ["MarkAdjustmentItemEnteredInError"] = Clinical,
            ["RecordSharingDecision"] = Clinical,
            ["MarkAdjustmentRecordReviewed"] = Clinical,
            ["ListAdjustmentReviewsDue"] = Clinical,
            ["ExportAdjustmentFhirBundle"] = Clinical,
            ["ListAdjustmentCodes"] = Everyone,
        },
        ["ReportService"] = new()
        {
            ["GetComplianceReport"] = [Auditor, MhaOffice],
            ["RenderComplianceReport"] = [Auditor, MhaOffice],
        },
        ["AuditService"] = new()
        {
            ["ListAuditEvents"] = [Auditor, MhaOffice, Admin],
            ["VerifyAuditChain"] = [Auditor, Admin],
            ["CreateAuditCheckpoint"] = [Auditor, Admin],
        },
        ["ApiKeyService"] = new()
        {
            ["CreateApiKey"] = [Admin],
            ["ListApiKeys"] = [Admin],
            ["RevokeApiKey"] = [Admin],
        },
        ["ImportService"] = new()
        {
            // Bulk loading of history is an office task; administrators run it when setting a trust up.
            ["ImportRows"] = [MhaOffice, Admin],
        },
        ["ChangeService"] = new()
        {
            // Changes name patients and what happened to them: the roles that read patients and the audit trail.
            ["WatchChanges"] = ClinicalAndAudit,
        },
        ["WorkflowService"] = new()
        {
            ["GetWorkflowGraph"] = Everyone,
        },
    });

    /// <summary>True when the method needs no credentials.</summary>
    public static bool IsAnonymous(string method) =>
        AnonymousServices.Any(s => method.StartsWith('/' + s + '/', StringComparison.Ordinal));

    /// <summary>True when <paramref name="role"/> may call <paramref name="method"/> ("/package.Service/Method").</summary>
    public static bool IsAllowed(string method, string role) =>
        Matrix.TryGetValue(method.TrimStart('/'), out var roles) && roles.Contains(role);

    private static Dictionary<string, IReadOnlyList<string>> Build(Dictionary<string, Dictionary<string, string[]>> byService) =>
        byService
            .SelectMany(s => s.Value.Select(m => (Key: $"mharights.v1.{s.Key}/{m.Key}", Roles: (IReadOnlyList<string>)m.Value)))
            .ToDictionary(x => x.Key, x => x.Roles, StringComparer.Ordinal);
}
