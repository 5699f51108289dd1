using Google.Protobuf;
using Google.Protobuf.Reflection;
using MhaRights.Server.Api;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Security;

/// <summary>
/// The organisation-scope rule, in one place (docs/security.md "Organisation scope"): a site-bound caller reaches
/// a patient when any of the patient's legal status episodes is at one of its sites. A patient with no episode
/// yet is reached only by trust-wide callers, except that a site-bound caller may start its first episode at one
/// of its own sites. Single-patient RPCs outside scope answer PERMISSION_DENIED (OUTSIDE_CALLER_SITES) before the
/// handler runs, also for ids that do not exist, so the answer never tells whether a patient exists elsewhere;
/// list RPCs filter to the caller's patients; trust-wide RPCs refuse site-bound callers.
/// </summary>
public sealed class PatientScope(MhaRightsDbContext db, ICallerContext caller)
{
    /// <summary>How each RPC meets the scope. Every RPC of the access matrix is listed (a test checks it).</summary>
    public enum Kind
    {
        /// <summary>No patient data (code lists, workflow graphs).</summary>
        Unscoped,

        /// <summary>Reaches every patient: reports, audit trail, change stream, import, keys.</summary>
        TrustWideOnly,

        /// <summary>The handler filters its results through <see cref="PatientIdsInScope"/>.</summary>
        Filtered,

        /// <summary>Names one patient in the field given by <see cref="PatientField"/>.</summary>
        OnePatient,
    }

    /// <summary>Method ("Service/Method") to its kind and, for one-patient RPCs, the request field naming the patient.</summary>
    public static readonly IReadOnlyDictionary<string, (Kind Kind, string? PatientField)> Methods = Build();

    public CallerScope Scope => caller.Caller.Scope;

    /// <summary>Throws PERMISSION_DENIED unless the caller reaches <paramref name="patientId"/>.</summary>
    public async Task RequirePatientAsync(string patientId, CancellationToken cancellationToken)
    {
        if (Scope.TrustWide)
        {
            return;
        }

        var sites = Scope.Sites.ToArray();
        if (!await db.Episodes.AsNoTracking().AnyAsync(e => e.PatientId == patientId && sites.Contains(e.Hospital), cancellationToken))
        {
            throw OutsideSites(patientId);
        }
    }

    /// <summary>
    /// StartEpisode: the new episode's site must be the caller's, and the patient must be in scope already or have
    /// no episode yet (a site-bound caller creating a patient then starting its first episode).
    /// </summary>
    public async Task RequireNewEpisodeAsync(string patientId, string? hospital, CancellationToken cancellationToken)
    {
        if (Scope.TrustWide)
        {
            return;
        }

        if (!Scope.Covers(hospital))
        {
            throw new ScopeDeniedException(ErrorReasons.OutsideCallerSites,
                $"episode.hospital {hospital} is not one of the caller's sites ({string.Join(", ", Scope.Sites)}).",
                new Dictionary<string, string> { ["patient"] = ResourceNames.Patient(patientId), ["field"] = "episode.hospital" });
        }

        var sites = Scope.Sites.ToArray();
        var episodes = db.Episodes.AsNoTracking().Where(e => e.PatientId == patientId);
        if (await episodes.AnyAsync(cancellationToken) && !await episodes.AnyAsync(e => sites.Contains(e.Hospital), cancellationToken))
        {
            throw OutsideSites(patientId);
        }
    }

    /// <summary>Ids of the patients the caller reaches, as a subquery for list RPCs; null for trust-wide callers (no filter).</summary>
    public IQueryable<string>? PatientIdsInScope()
    {
        if (Scope.TrustWide)
        {
            return null;
        }

        var sites = Scope.Sites.ToArray();
        return db.Episodes.Where(e => sites.Contains(e.Hospital)).Select(e => e.PatientId);
    }

    /// <summary>The subset of <paramref name="patientIds"/> the caller reaches (for lists built by compiled queries).</summary>
    public async Task<IReadOnlySet<string>> InScopeAsync(IEnumerable<string> patientIds, CancellationToken cancellationToken)
    {
        var ids = patientIds.Distinct(StringComparer.Ordinal).ToArray();
        if (Scope.TrustWide)
        {
            return ids.ToHashSet(StringComparer.Ordinal);
        }

        var sites = Scope.Sites.ToArray();
        var hits = await db.Episodes.AsNoTracking()
            .Where(e => ids.Contains(e.PatientId) && sites.Contains(e.Hospital))
            .Select(e => e.PatientId).Distinct().ToListAsync(cancellationToken);
        return hits.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Applies the method-level rule before the handler runs (Security/ScopeInterceptor.cs).</summary>
    public async Task EnforceAsync(string method, object request, CancellationToken cancellationToken)
    {
        if (Scope.TrustWide)
        {
            return;
        }

        // A method missing from the table is treated as trust-wide only: closed to site-bound callers until decided.
        var rule = Methods.TryGetValue(method.TrimStart('/').Replace("mharights.v1.", string.Empty, StringComparison.Ordinal), out var listed)
            ? listed
            : (Kind.TrustWideOnly, null);

        switch (rule.Kind)
        {
            case Kind.TrustWideOnly:
                throw new ScopeDeniedException(ErrorReasons.TrustWideAccessRequired,
                    $"{method.TrimStart('/')} reaches every patient of the trust; the caller is bound to sites {string.Join(", ", Scope.Sites)}.",
                    new Dictionary<string, string> { ["method"] = method.TrimStart('/') });
            case Kind.OnePatient:
                var patientId = PatientIdOf(request, rule.PatientField!);
                if (method.EndsWith("/StartEpisode", StringComparison.Ordinal))
                {
                    var hospital = (request as Contracts.V1.StartEpisodeRequest)?.Episode?.Hospital;
                    await RequireNewEpisodeAsync(patientId, hospital, cancellationToken);
                }
                else
                {
                    await RequirePatientAsync(patientId, cancellationToken);
                }

                break;
        }
    }

    /// <summary>The patient id in the named field ("name", "parent" or "patient.name"); INVALID_ARGUMENT naming the field otherwise.</summary>
    internal static string PatientIdOf(object request, string fieldPath)
    {
        object? value = request;
        foreach (var part in fieldPath.Split('.'))
        {
            value = value is IMessage message && message.Descriptor.FindFieldByName(part) is FieldDescriptor field
                ? field.Accessor.GetValue(message)
                : null;
        }

        var text = value as string;
        var parts = text?.Split('/');
        return parts is { Length: >= 2 } && parts[0] == "patients" && Ids.IsValid(parts[1])
            ? parts[1]
            : throw new ValidationFailedException(fieldPath, "must name a patient resource (patients/{patient}...)");
    }

    private static ScopeDeniedException OutsideSites(string patientId) =>
        new(ErrorReasons.OutsideCallerSites,
            $"{ResourceNames.Patient(patientId)} has no legal status episode at the caller's sites.",
            new Dictionary<string, string> { ["patient"] = ResourceNames.Patient(patientId) });

    private static Dictionary<string, (Kind, string?)> Build()
    {
        (Kind, string?) name = (Kind.OnePatient, "name");
        (Kind, string?) parent = (Kind.OnePatient, "parent");
        (Kind, string?) trustWide = (Kind.TrustWideOnly, null);
        (Kind, string?) filtered = (Kind.Filtered, null);
        (Kind, string?) unscoped = (Kind.Unscoped, null);
        return new(StringComparer.Ordinal)
        {
            // A new patient has no episode, so it is in nobody's sites until its first episode; creating one is allowed.
            ["PatientService/CreatePatient"] = unscoped,
            ["PatientService/GetPatient"] = name,
            ["PatientService/ListPatients"] = filtered,
            ["PatientService/UpdatePatient"] = (Kind.OnePatient, "patient.name"),
            ["PatientService/SetNearestRelative"] = name,
            ["LegalStatusService/StartEpisode"] = parent,
            ["LegalStatusService/GetEpisode"] = name,
            ["LegalStatusService/ListEpisodes"] = parent,
            ["LegalStatusService/ChangeProvision"] = name,
            ["LegalStatusService/RenewEpisode"] = name,
            ["LegalStatusService/TransferEpisode"] = name,
            ["LegalStatusService/RecallCommunityPatient"] = name,
            ["LegalStatusService/ReleaseFromRecall"] = name,
            ["LegalStatusService/RevokeCommunityTreatmentOrder"] = name,
            ["LegalStatusService/PlanDischarge"] = name,
            ["LegalStatusService/EndEpisode"] = name,
            ["LegalStatusService/RecordMedicationStart"] = name,
            ["RightsService/GetDuty"] = name,
            ["RightsService/ListDuties"] = parent,
            ["RightsService/RecordExplanationAttempt"] = parent,
            ["RightsService/GetExplanationAttempt"] = name,
            ["RightsService/ListExplanationAttempts"] = parent,
            ["RightsService/CorrectExplanationAttempt"] = name,
            ["RightsService/VoidExplanationAttempt"] = name,
            ["RightsService/RecordNoticeSent"] = name,
            ["RightsService/RecordNoticeNotRequired"] = name,
            ["RightsService/MarkDutyNotApplicable"] = name,
            ["RightsService/RequestReexplanation"] = parent,
            ["RightsService/GetRightsStatus"] = name,
            ["RightsService/GetRightsBriefing"] = name,
            ["RightsService/ListWorklistItems"] = filtered,
            ["AdjustmentService/GetAdjustmentRecord"] = name,
            ["AdjustmentService/IdentifyAdjustmentNeeds"] = parent,
            ["AdjustmentService/ActivateAdjustmentRecord"] = name,
            ["AdjustmentService/RemoveAdjustmentRecord"] = name,
            ["AdjustmentService/MarkAdjustmentRecordEnteredInError"] = name,
            ["AdjustmentService/CreateAdjustmentItem"] = parent,
            ["AdjustmentService/ListAdjustmentItems"] = parent,
            ["AdjustmentService/ReplaceAdjustmentItem"] = name,
            ["AdjustmentService/RemoveAdjustmentItem"] = name,
            ["AdjustmentService/MarkAdjustmentItemEnteredInError"] = name,
            ["AdjustmentService/RecordSharingDecision"] = name,
            ["AdjustmentService/MarkAdjustmentRecordReviewed"] = name,
            ["AdjustmentService/ListAdjustmentReviewsDue"] = filtered,
            ["AdjustmentService/ExportAdjustmentFhirBundle"] = name,
            ["AdjustmentService/ListAdjustmentCodes"] = unscoped,
            ["ReportService/GetComplianceReport"] = trustWide,
            ["ReportService/RenderComplianceReport"] = trustWide,
            ["AuditService/ListAuditEvents"] = trustWide,
            ["AuditService/VerifyAuditChain"] = trustWide,
            ["AuditService/CreateAuditCheckpoint"] = trustWide,
            ["ApiKeyService/CreateApiKey"] = trustWide,
            ["ApiKeyService/ListApiKeys"] = trustWide,
            ["ApiKeyService/RevokeApiKey"] = trustWide,
            ["ImportService/ImportRows"] = trustWide,
            ["ChangeService/WatchChanges"] = trustWide,
            ["WorkflowService/GetWorkflowGraph"] = unscoped,
        };
    }
}
