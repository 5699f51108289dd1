using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Statutory information duties (MHA 1983 ss132, 132A, 130D, 133) and the explanation attempts and notices that
/// meet them (mharights.v1.RightsService). Duties are opened, superseded and closed by legal status changes and by
/// the deadline sweeper; callers record what staff did. Worklists are on <see cref="WorklistsClient"/>. Get it from
/// <see cref="MhaRightsClient.Rights"/>.
/// </summary>
public class RightsClient
{
    private readonly CallPipeline _pipeline;
    private readonly RightsService.RightsServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="RightsClient"/> class for mocking.</summary>
    protected RightsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal RightsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new RightsService.RightsServiceClient(invoker);
    }

    /// <summary>
    /// Returns one statutory duty; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="request">The request naming the duty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duty.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsDuty> GetDutyAsync(GetDutyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("RightsService.GetDuty", request, _grpc.GetDutyAsync, cancellationToken);

    /// <summary>
    /// Returns one statutory duty; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="name">The duty's resource name, <c>patients/{patient}/duties/{duty}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duty.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsDuty> GetDutyAsync(string name, CancellationToken cancellationToken = default) =>
        GetDutyAsync(new GetDutyRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>
    /// Lists a patient's duties, most urgent first (optionally only open ones).
    /// </summary>
    /// <param name="request">The patient (<c>parent</c>), the open-only filter and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The duties, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<RightsDuty> ListDutiesAsync(ListDutiesRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("RightsService.ListDuties", request, _grpc.ListDutiesAsync, r => r.Duties, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Lists a patient's duties, most urgent first.
    /// </summary>
    /// <param name="patient">The patient's resource name, <c>patients/{patient}</c>.</param>
    /// <param name="openOnly"><see langword="true"/> for open duties only (not sent, not required, superseded, closed or not applicable).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The duties, fetched page by page as they are enumerated (<c>await foreach</c>).</returns>
    public virtual AsyncPageable<RightsDuty> ListDutiesAsync(string patient, bool openOnly = false, CancellationToken cancellationToken = default) =>
        ListDutiesAsync(new ListDutiesRequest { Parent = patient ?? throw new ArgumentNullException(nameof(patient)), OpenOnly = openOnly }, cancellationToken);

    /// <summary>
    /// Records an attempt to explain rights for an explanation duty (s132(1), s132(2), s132A, s130D). The duty moves to
    /// UNDERSTOOD, or to ATTEMPTED and then RE_ATTEMPT_SCHEDULED. Retries reuse the same <c>request_id</c>, so a lost
    /// response never records the explanation twice. Every communication need from
    /// <see cref="GetRightsBriefingAsync(GetRightsBriefingRequest, CancellationToken)"/> needs a response, otherwise
    /// <c>FAILED_PRECONDITION</c> (<see cref="MhaRightsErrorReasons.CommunicationNeedUnaddressed"/>).
    /// </summary>
    /// <param name="request">The duty (<c>parent</c>), the attempt and optionally the duty's etag. <c>request_id</c> is generated when empty and reused on every retry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded attempt and the duty after it.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RecordExplanationAttemptResponse> RecordExplanationAttemptAsync(RecordExplanationAttemptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.RecordExplanationAttempt", request, _grpc.RecordExplanationAttemptAsync, cancellationToken);

    /// <summary>
    /// Records an attempt to explain rights for an explanation duty, from the facts staff record. The duty moves to
    /// UNDERSTOOD, or to ATTEMPTED and then RE_ATTEMPT_SCHEDULED. A retry never records the explanation twice.
    /// </summary>
    /// <param name="duty">The duty's resource name, <c>patients/{patient}/duties/{duty}</c>.</param>
    /// <param name="attemptTime">When the explanation took place; not in the future, not before the duty opened.</param>
    /// <param name="explainedBy">Who explained (name as the EPR records it).</param>
    /// <param name="explainedByRole">Their role (e.g. "Staff nurse", "RC").</param>
    /// <param name="outcome">Whether the patient understood.</param>
    /// <param name="details">How it was explained (oral, written leaflet, interpreter, communication needs met...) and the duty's etag; <see langword="null"/> when none of it applies.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded attempt and the duty after it.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RecordExplanationAttemptResponse> RecordExplanationAttemptAsync(
        string duty,
        DateTimeOffset attemptTime,
        string explainedBy,
        string explainedByRole,
        AttemptOutcome outcome,
        ExplanationDetails? details = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(duty);
        ArgumentNullException.ThrowIfNull(explainedBy);
        ArgumentNullException.ThrowIfNull(explainedByRole);
        details ??= new ExplanationDetails();
        var attempt = new ExplanationAttempt
        {
            AttemptTime = Timestamp.FromDateTimeOffset(attemptTime),
            ExplainedBy = explainedBy,
            ExplainedByRole = explainedByRole,
            Outcome = outcome,
            OralGiven = details.OralGiven,
            WrittenGiven = details.WrittenGiven,
            LeafletId = details.LeafletId ?? string.Empty,
            LeafletVersion = details.LeafletVersion ?? string.Empty,
            LeafletLanguage = details.LeafletLanguage ?? string.Empty,
            InterpreterUsed = details.InterpreterUsed,
            AccessibleFormat = details.AccessibleFormat ?? string.Empty,
            CapacityNote = details.CapacityNote ?? string.Empty,
            ImhaInformationGiven = details.ImhaInformationGiven,
            NearestRelativeSharing = details.NearestRelativeSharing,
            NextAttemptTime = details.NextAttemptTime is { } next ? Timestamp.FromDateTimeOffset(next) : null,
            Note = details.Note ?? string.Empty,
        };
        attempt.CommunicationNeeds.Add(details.CommunicationNeeds);
        return RecordExplanationAttemptAsync(
            new RecordExplanationAttemptRequest { Parent = duty, Attempt = attempt, Etag = details.Etag ?? string.Empty },
            cancellationToken);
    }

    /// <summary>
    /// Returns one explanation attempt; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="request">The request naming the attempt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempt.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ExplanationAttempt> GetExplanationAttemptAsync(GetExplanationAttemptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("RightsService.GetExplanationAttempt", request, _grpc.GetExplanationAttemptAsync, cancellationToken);

    /// <summary>
    /// Returns one explanation attempt; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="name">The attempt's resource name, <c>patients/{patient}/duties/{duty}/attempts/{attempt}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attempt.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ExplanationAttempt> GetExplanationAttemptAsync(string name, CancellationToken cancellationToken = default) =>
        GetExplanationAttemptAsync(new GetExplanationAttemptRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>
    /// Lists the attempts for a duty (<c>parent</c> = duty) or a patient (<c>parent</c> = patient), newest first,
    /// including corrected and voided ones.
    /// </summary>
    /// <param name="request">The duty or patient (<c>parent</c>) and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The attempts, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<ExplanationAttempt> ListExplanationAttemptsAsync(ListExplanationAttemptsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("RightsService.ListExplanationAttempts", request, _grpc.ListExplanationAttemptsAsync, r => r.Attempts, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// MHA office: corrects an attempt. The original becomes CORRECTED (still readable) and a new attempt with the
    /// corrected details replaces it, linked by <c>corrects</c>.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new, correcting attempt.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ExplanationAttempt> CorrectExplanationAttemptAsync(CorrectExplanationAttemptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.CorrectExplanationAttempt", request, _grpc.CorrectExplanationAttemptAsync, cancellationToken);

    /// <summary>
    /// MHA office: voids an attempt recorded in error, with a reason. The duty's state is recomputed.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The voided attempt.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ExplanationAttempt> VoidExplanationAttemptAsync(VoidExplanationAttemptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.VoidExplanationAttempt", request, _grpc.VoidExplanationAttemptAsync, cancellationToken);

    /// <summary>
    /// Records that a nearest-relative copy (s132(4), s130D(5)) or s133 discharge notice was sent.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duty, now SENT.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsDuty> RecordNoticeSentAsync(RecordNoticeSentRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.RecordNoticeSent", request, _grpc.RecordNoticeSentAsync, cancellationToken);

    /// <summary>
    /// Records why a nearest-relative copy or s133 notice is not required (patient objects, no nearest relative, opted
    /// out). The reason is kept on the duty and in the audit trail.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duty, now NOT_REQUIRED.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsDuty> RecordNoticeNotRequiredAsync(RecordNoticeNotRequiredRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.RecordNoticeNotRequired", request, _grpc.RecordNoticeNotRequiredAsync, cancellationToken);

    /// <summary>
    /// MHA office: marks a duty not applicable (for example s136 recorded in a police station), with a reason.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duty, now NOT_APPLICABLE.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsDuty> MarkDutyNotApplicableAsync(MarkDutyNotApplicableRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.MarkDutyNotApplicable", request, _grpc.MarkDutyNotApplicableAsync, cancellationToken);

    /// <summary>
    /// Raises a re-explanation now for a patient's explanation duties (patient request, capacity change, change of
    /// responsible clinician or ward).
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The duties now REMINDER_DUE (or already open).</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RequestReexplanationResponse> RequestReexplanationAsync(RequestReexplanationRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("RightsService.RequestReexplanation", request, _grpc.RequestReexplanationAsync, cancellationToken);

    /// <summary>
    /// Returns a patient's rights position at a glance: current episode, open duties and the next deadline.
    /// </summary>
    /// <param name="request">The request naming the patient.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rights status.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsStatus> GetRightsStatusAsync(GetRightsStatusRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("RightsService.GetRightsStatus", request, _grpc.GetRightsStatusAsync, cancellationToken);

    /// <summary>
    /// Returns a patient's rights position at a glance: current episode, open duties and the next deadline.
    /// </summary>
    /// <param name="name">The patient's resource name, <c>patients/{patient}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rights status.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsStatus> GetRightsStatusAsync(string name, CancellationToken cancellationToken = default) =>
        GetRightsStatusAsync(new GetRightsStatusRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>
    /// Returns what staff need before explaining rights: open duties plus the communication adjustments (reasonable
    /// adjustment categories 001-006) they must meet and record on the attempt.
    /// </summary>
    /// <param name="request">The request naming the patient.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The briefing.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsBriefing> GetRightsBriefingAsync(GetRightsBriefingRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("RightsService.GetRightsBriefing", request, _grpc.GetRightsBriefingAsync, cancellationToken);

    /// <summary>
    /// Returns what staff need before explaining rights: open duties plus the communication adjustments they must meet
    /// and record on the attempt.
    /// </summary>
    /// <param name="name">The patient's resource name, <c>patients/{patient}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The briefing.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RightsBriefing> GetRightsBriefingAsync(string name, CancellationToken cancellationToken = default) =>
        GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);
}
