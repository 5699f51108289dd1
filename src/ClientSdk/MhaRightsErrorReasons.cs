namespace MhaRights.Client;

/// <summary>
/// Every value of <see cref="MhaRightsException.Reason"/> (the google.rpc.ErrorInfo <c>reason</c>, domain
/// <see cref="Domain"/>), with the status code it comes with and what a caller can do. Mirrors
/// <c>ErrorReason</c> in <c>protos/mharights/v1/common.proto</c> (the wire carries the name without the
/// <c>ERROR_REASON_</c> prefix); <see cref="MhaRightsException.ErrorReason"/> gives the same value as that enum.
/// </summary>
/// <example>
/// <code>
/// catch (MhaRightsException ex) when (ex.Reason == MhaRightsErrorReasons.EtagMismatch)
/// {
///     // Re-read, re-apply the change, send ex.CurrentEtag (or the fresh resource's etag).
/// }
/// </code>
/// </example>
public static class MhaRightsErrorReasons
{
    /// <summary>The ErrorInfo domain of every error raised by the MhaRights service.</summary>
    public const string Domain = "mharights.nhs.uk";

    /// <summary>
    /// <c>INVALID_ARGUMENT</c>: one or more request fields are invalid. <see cref="MhaRightsException.FieldViolations"/>
    /// names each field (paths relative to the request, for example <c>patient.nhs_number</c>). Fix the input; do
    /// not retry unchanged.
    /// </summary>
    public const string InvalidArgument = "INVALID_ARGUMENT";

    /// <summary>
    /// <c>NOT_FOUND</c>: the named resource does not exist; metadata <c>resource</c> names it.
    /// </summary>
    public const string ResourceNotFound = "RESOURCE_NOT_FOUND";

    /// <summary>
    /// <c>ALREADY_EXISTS</c>: a resource with the same identity already exists (for example the patient's local id
    /// or NHS number); metadata <c>field</c> says which. Look the existing resource up instead.
    /// </summary>
    public const string AlreadyExists = "ALREADY_EXISTS";

    /// <summary>
    /// <c>ABORTED</c>: the request's etag does not match the resource's current etag (someone else changed it).
    /// <see cref="MhaRightsException.CurrentEtag"/> carries the current etag (metadata <c>current_etag</c>); re-read
    /// the resource, re-apply the change and send again.
    /// </summary>
    public const string EtagMismatch = "ETAG_MISMATCH";

    /// <summary>
    /// <c>ABORTED</c>: another request changed the resource at the same moment. Re-read it and retry with the
    /// current etag (<see cref="MhaRightsException.CurrentEtag"/> when the server knows it).
    /// </summary>
    public const string ConcurrentModification = "CONCURRENT_MODIFICATION";

    /// <summary>
    /// <c>FAILED_PRECONDITION</c>: the action is not permitted in the resource's current state; metadata
    /// <c>state</c>, <c>trigger</c> (the method name) and <c>unmet_guards</c>. Re-read the resource
    /// (its <c>permitted_actions</c>) before offering the action again.
    /// </summary>
    public const string InvalidStateTransition = "INVALID_STATE_TRANSITION";

    /// <summary>
    /// <c>FAILED_PRECONDITION</c>: a business rule other than a state transition refused the request; metadata
    /// <c>rule</c> names it (for example <c>SHARING_DECLINED</c> or <c>NHS_NUMBER_MISSING</c>).
    /// </summary>
    public const string PreconditionFailed = "PRECONDITION_FAILED";

    /// <summary>
    /// <c>INVALID_ARGUMENT</c>: the <c>request_id</c> was already used for a different request (metadata
    /// <c>request_id</c>). Use a new id for a new logical request; reuse an id only to repeat the same request.
    /// </summary>
    public const string RequestIdReused = "REQUEST_ID_REUSED";

    /// <summary><c>UNIMPLEMENTED</c>: the method is in the contract but this server version does not implement it yet.</summary>
    public const string NotImplemented = "NOT_IMPLEMENTED";

    /// <summary><c>UNAUTHENTICATED</c>: no valid credential was presented (missing, unknown, expired or revoked key or token).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary><c>PERMISSION_DENIED</c>: the caller's role may not call this method.</summary>
    public const string PermissionDenied = "PERMISSION_DENIED";

    /// <summary>
    /// <c>FAILED_PRECONDITION</c>: a communication need recorded for the patient (interpreter, BSL, easy read...)
    /// was not addressed in the explanation attempt. Add a <c>CommunicationNeedResponse</c> for every need
    /// listed by <c>RightsClient.GetRightsBriefingAsync</c>.
    /// </summary>
    public const string CommunicationNeedUnaddressed = "COMMUNICATION_NEED_UNADDRESSED";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the write ran but the database transaction it shared with other requests failed to
    /// commit, so nothing of it was kept. The SDK retries it with the same request_id (it is transient).
    /// </summary>
    public const string WriteNotCommitted = "WRITE_NOT_COMMITTED";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the database write lock was held elsewhere longer than the server's write-lock timeout;
    /// nothing was written. Retry later with the same request_id.
    /// </summary>
    public const string DatabaseBusy = "DATABASE_BUSY";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the server's database is read-only; nothing was written. An operations problem: retrying
    /// helps only once it is fixed (the server's health reports NOT_SERVING meanwhile).
    /// </summary>
    public const string DatabaseReadOnly = "DATABASE_READ_ONLY";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the disk holding the server's database is full; nothing was written. As for
    /// <see cref="DatabaseReadOnly"/>.
    /// </summary>
    public const string DatabaseFull = "DATABASE_FULL";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the server's database file could not be written (I/O error); nothing was written. As for
    /// <see cref="DatabaseReadOnly"/>.
    /// </summary>
    public const string DatabaseIoError = "DATABASE_IO_ERROR";

    /// <summary>
    /// <c>RESOURCE_EXHAUSTED</c>: a change-stream subscriber read too slowly and the server's buffer for it filled.
    /// Resume from the <c>resume_after_sequence</c> metadata (<see cref="ChangesClient"/> does this itself).
    /// </summary>
    public const string ChangeStreamOverflow = "CHANGE_STREAM_OVERFLOW";

    /// <summary>
    /// <c>UNAVAILABLE</c>: the server is stopping and ended the change stream; resume from the
    /// <c>resume_after_sequence</c> metadata on another instance or after restart (<see cref="ChangesClient"/> does).
    /// </summary>
    public const string ServerStopping = "SERVER_STOPPING";

    /// <summary>
    /// <c>PERMISSION_DENIED</c>: the patient has no legal status episode at the sites the key or token is bound to
    /// (or has no episode yet and the caller is not trust-wide); metadata <c>patient</c>.
    /// </summary>
    public const string OutsideCallerSites = "OUTSIDE_CALLER_SITES";

    /// <summary><c>PERMISSION_DENIED</c>: the method reaches every patient (reports, audit trail, change stream, import) and the caller is bound to sites.</summary>
    public const string TrustWideAccessRequired = "TRUST_WIDE_ACCESS_REQUIRED";

    /// <summary><c>PERMISSION_DENIED</c>: the call sent <c>x-mharights-display-name</c> but the key may not act for a named user.</summary>
    public const string NamedUserNotPermitted = "NAMED_USER_NOT_PERMITTED";

    /// <summary><c>PERMISSION_DENIED</c>: the request needs identifiable data (e.g. an NHS number filter) and the caller sees pseudonyms.</summary>
    public const string IdentifiableAccessRequired = "IDENTIFIABLE_ACCESS_REQUIRED";

    /// <summary>
    /// <c>INTERNAL</c>: an unexpected server failure, logged by the server. Not part of the <c>ErrorReason</c>
    /// enum; report it with the time and <see cref="MhaRightsException.RequestId"/>.
    /// </summary>
    public const string Internal = "INTERNAL";
}
