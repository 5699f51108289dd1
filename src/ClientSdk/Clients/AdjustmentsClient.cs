using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Reasonable adjustments (mharights.v1.AdjustmentService): the patient's Reasonable Adjustment Flag record
/// (DAPB4019) with its items, sharing decision, reviews, code tables and the national Patient Flags FHIR export.
/// Get it from <see cref="MhaRightsClient.Adjustments"/>.
/// </summary>
public class AdjustmentsClient
{
    private readonly CallPipeline _pipeline;
    private readonly AdjustmentService.AdjustmentServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="AdjustmentsClient"/> class for mocking.</summary>
    protected AdjustmentsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal AdjustmentsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new AdjustmentService.AdjustmentServiceClient(invoker);
    }

    /// <summary>
    /// Returns the patient's reasonable adjustment record (the flag). <c>NOT_FOUND</c> when the patient has no record.
    /// Callers without content access get the record with <c>content_visible</c> = false.
    /// </summary>
    /// <param name="request">The request naming the record, <c>patients/{patient}/adjustmentRecord</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> GetAdjustmentRecordAsync(GetAdjustmentRecordRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("AdjustmentService.GetAdjustmentRecord", request, _grpc.GetAdjustmentRecordAsync, cancellationToken);

    /// <summary>
    /// Returns the patient's reasonable adjustment record (the flag); <c>NOT_FOUND</c> when the patient has no record.
    /// </summary>
    /// <param name="name">The record's resource name, <c>patients/{patient}/adjustmentRecord</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> GetAdjustmentRecordAsync(string name, CancellationToken cancellationToken = default) =>
        GetAdjustmentRecordAsync(new GetAdjustmentRecordRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>
    /// Creates the patient's adjustment record in state IDENTIFIED (a need was identified but not yet confirmed by a
    /// clinician), or reopens a REMOVED or ENTERED_IN_ERROR record. <c>ALREADY_EXISTS</c> when the record is IDENTIFIED
    /// or ACTIVE.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> IdentifyAdjustmentNeedsAsync(IdentifyAdjustmentNeedsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.IdentifyAdjustmentNeeds", request, _grpc.IdentifyAdjustmentNeedsAsync, cancellationToken);

    /// <summary>
    /// Confirms the Equality Act threshold and moves the record from IDENTIFIED to ACTIVE; the local flag is then shown
    /// on every patient view.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ACTIVE record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> ActivateAdjustmentRecordAsync(ActivateAdjustmentRecordRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.ActivateAdjustmentRecord", request, _grpc.ActivateAdjustmentRecordAsync, cancellationToken);

    /// <summary>
    /// Ends the whole record (IDENTIFIED or ACTIVE to REMOVED) with a national removal reason and a mandatory comment;
    /// every ACTIVE item is removed with it.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The REMOVED record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> RemoveAdjustmentRecordAsync(RemoveAdjustmentRecordRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.RemoveAdjustmentRecord", request, _grpc.RemoveAdjustmentRecordAsync, cancellationToken);

    /// <summary>
    /// Marks the whole record as created in error (ENTERED_IN_ERROR): hidden from clinical views and kept for audit.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> MarkAdjustmentRecordEnteredInErrorAsync(MarkAdjustmentRecordEnteredInErrorRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.MarkAdjustmentRecordEnteredInError", request, _grpc.MarkAdjustmentRecordEnteredInErrorAsync, cancellationToken);

    /// <summary>
    /// Adds an adjustment, impairment or underlying condition to a record in IDENTIFIED or ACTIVE. Bad fields fail with
    /// <c>INVALID_ARGUMENT</c> and one <see cref="MhaRightsException.FieldViolations"/> entry per field.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new item.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentItem> CreateAdjustmentItemAsync(CreateAdjustmentItemRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.CreateAdjustmentItem", request, _grpc.CreateAdjustmentItemAsync, cancellationToken);

    /// <summary>
    /// Lists a record's items, oldest first (ACTIVE only unless <c>states</c> says otherwise).
    /// </summary>
    /// <param name="request">The record (<c>parent</c>), state and kind filters and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The items, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<AdjustmentItem> ListAdjustmentItemsAsync(ListAdjustmentItemsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("AdjustmentService.ListAdjustmentItems", request, _grpc.ListAdjustmentItemsAsync, r => r.AdjustmentItems, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Edits an item the way the national API does: the ACTIVE item is removed (or marked entered in error) and a new
    /// ACTIVE item that <c>supersedes</c> it is created, atomically.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The replaced and the new item.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ReplaceAdjustmentItemResponse> ReplaceAdjustmentItemAsync(ReplaceAdjustmentItemRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.ReplaceAdjustmentItem", request, _grpc.ReplaceAdjustmentItemAsync, cancellationToken);

    /// <summary>
    /// Removes one item (ACTIVE to REMOVED) with a national removal reason and a mandatory comment.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The REMOVED item.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentItem> RemoveAdjustmentItemAsync(RemoveAdjustmentItemRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.RemoveAdjustmentItem", request, _grpc.RemoveAdjustmentItemAsync, cancellationToken);

    /// <summary>
    /// Marks one item as created in error (ENTERED_IN_ERROR).
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The item.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentItem> MarkAdjustmentItemEnteredInErrorAsync(MarkAdjustmentItemEnteredInErrorRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.MarkAdjustmentItemEnteredInError", request, _grpc.MarkAdjustmentItemEnteredInErrorAsync, cancellationToken);

    /// <summary>
    /// Records who decided whether the record may be shared nationally and how (not required, consented, declined,
    /// best-interest decision).
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record with its new sharing state.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> RecordSharingDecisionAsync(RecordSharingDecisionRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.RecordSharingDecision", request, _grpc.RecordSharingDecisionAsync, cancellationToken);

    /// <summary>
    /// Records that the adjustments were reviewed with the patient; the next review moves to <c>next_review_time</c>
    /// (or the trust's default interval). Only while ACTIVE.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reviewed record.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AdjustmentRecord> MarkAdjustmentRecordReviewedAsync(MarkAdjustmentRecordReviewedRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("AdjustmentService.MarkAdjustmentRecordReviewed", request, _grpc.MarkAdjustmentRecordReviewedAsync, cancellationToken);

    /// <summary>
    /// Lists ACTIVE records whose review is due by <c>due_before</c>, earliest first, optionally for one hospital or
    /// ward.
    /// </summary>
    /// <param name="request">Hospital, ward, due-before filter and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The reviews due, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<AdjustmentReviewDue> ListAdjustmentReviewsDueAsync(ListAdjustmentReviewsDueRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("AdjustmentService.ListAdjustmentReviewsDue", request, _grpc.ListAdjustmentReviewsDueAsync, r => r.Reviews, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Builds the national Patient Flags FHIR R4 transaction Bundle for the record and its ACTIVE items. Read-only.
    /// <c>FAILED_PRECONDITION</c> (<see cref="MhaRightsErrorReasons.PreconditionFailed"/>, metadata <c>rule</c>) when
    /// sharing was declined or data is missing.
    /// </summary>
    /// <param name="request">The request naming the record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundle and what it contains.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ExportAdjustmentFhirBundleResponse> ExportAdjustmentFhirBundleAsync(ExportAdjustmentFhirBundleRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("AdjustmentService.ExportAdjustmentFhirBundle", request, _grpc.ExportAdjustmentFhirBundleAsync, cancellationToken);

    /// <summary>
    /// Lists the code tables the service validates against (adjustment categories, SNOMED CT adjustments, impairments,
    /// removal reasons...), by table then the table's own order. The table versions are on each page's
    /// <see cref="Page{T}.RawResponse"/> (<see cref="ListAdjustmentCodesResponse"/>).
    /// </summary>
    /// <param name="request">Table and category filters and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The code rows, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<AdjustmentCode> ListAdjustmentCodesAsync(ListAdjustmentCodesRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("AdjustmentService.ListAdjustmentCodes", request, _grpc.ListAdjustmentCodesAsync, r => r.AdjustmentCodes, r => r.NextPageToken, cancellationToken);
}
