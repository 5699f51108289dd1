using System.Collections.ObjectModel;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// The one exception the client throws for a failed call: the gRPC status code, the service's machine-readable
/// <see cref="Reason"/> with its metadata, the invalid fields and, on a conflict, the resource's current etag.
/// </summary>
/// <remarks>
/// The reasons are listed in <see cref="MhaRightsErrorReasons"/>. Cancelling a call through its
/// <see cref="CancellationToken"/> throws <see cref="OperationCanceledException"/> instead; a call that ran out of
/// time throws this exception with <see cref="StatusCode"/> <see cref="Grpc.Core.StatusCode.DeadlineExceeded"/>.
/// Transient failures have already been retried (see <see cref="MhaRightsRetryOptions"/>) when this is thrown.
/// </remarks>
public class MhaRightsException : Exception
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Initializes a new instance of the <see cref="MhaRightsException"/> class with status <c>UNKNOWN</c>.</summary>
    public MhaRightsException()
        : this(Grpc.Core.StatusCode.Unknown, "The MhaRights call failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MhaRightsException"/> class with status <c>UNKNOWN</c>.</summary>
    /// <param name="message">The message.</param>
    public MhaRightsException(string message)
        : this(Grpc.Core.StatusCode.Unknown, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MhaRightsException"/> class with status <c>UNKNOWN</c>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MhaRightsException(string message, Exception? innerException)
        : this(Grpc.Core.StatusCode.Unknown, message, innerException: innerException)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MhaRightsException"/> class; public so that callers can build
    /// one when testing their own error handling.
    /// </summary>
    /// <param name="statusCode">The gRPC status code.</param>
    /// <param name="message">The message.</param>
    /// <param name="reason">The ErrorInfo reason (see <see cref="MhaRightsErrorReasons"/>).</param>
    /// <param name="metadata">The ErrorInfo metadata.</param>
    /// <param name="fieldViolations">The BadRequest field violations.</param>
    /// <param name="requestId">The <c>request_id</c> the call was sent with, for writes.</param>
    /// <param name="innerException">The cause, usually the <see cref="RpcException"/>.</param>
    public MhaRightsException(
        StatusCode statusCode,
        string message,
        string? reason = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyList<MhaRightsFieldViolation>? fieldViolations = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = string.IsNullOrEmpty(reason) ? null : reason;
        Metadata = metadata ?? NoMetadata;
        FieldViolations = fieldViolations ?? [];
        RequestId = string.IsNullOrEmpty(requestId) ? null : requestId;
    }

    /// <summary>Gets the gRPC status code, for example <see cref="Grpc.Core.StatusCode.Aborted"/> for an etag mismatch.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>
    /// Gets the service's reason (google.rpc.ErrorInfo <c>reason</c>), one of <see cref="MhaRightsErrorReasons"/>, or
    /// <see langword="null"/> when the failure did not come from the service (for example a network failure).
    /// </summary>
    public string? Reason { get; }

    /// <summary>Gets <see cref="Reason"/> as the contract's <see cref="Contracts.V1.ErrorReason"/>; <c>Unspecified</c> when there is none or it is not in the enum.</summary>
    public ErrorReason ErrorReason => ParseReason(Reason);

    /// <summary>Gets the ErrorInfo metadata (for example <c>current_etag</c>, <c>state</c>, <c>trigger</c>, <c>rule</c>, <c>resource</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Gets the invalid request fields (google.rpc.BadRequest), empty when the input was not at fault.</summary>
    public IReadOnlyList<MhaRightsFieldViolation> FieldViolations { get; }

    /// <summary>
    /// Gets the resource's current etag when the call failed because the etag sent was stale
    /// (<see cref="MhaRightsErrorReasons.EtagMismatch"/> or <see cref="MhaRightsErrorReasons.ConcurrentModification"/>);
    /// otherwise <see langword="null"/>.
    /// </summary>
    public string? CurrentEtag => Metadata.TryGetValue("current_etag", out var etag) && !string.IsNullOrEmpty(etag) ? etag : null;

    /// <summary>
    /// Gets the <c>request_id</c> a write was sent with (the caller's, or the one the client generated), or
    /// <see langword="null"/> for reads. After a transient failure that outlasted the retries, sending the same
    /// request again with this id is safe: the server applies it at most once.
    /// </summary>
    public string? RequestId { get; }

    /// <summary>Gets the full google.rpc.Status the server sent, for details this class does not surface; <see langword="null"/> when there was none.</summary>
    public Google.Rpc.Status? RpcStatus { get; private init; }

    /// <summary>Gets a value indicating whether retrying the same call later may succeed (<c>UNAVAILABLE</c> or <c>DEADLINE_EXCEEDED</c>).</summary>
    public bool IsTransient => StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded;

    /// <summary>Builds the exception for a failed gRPC call, reading the google.rpc.Status details.</summary>
    /// <param name="exception">The gRPC failure.</param>
    /// <param name="operation">The method that failed, for the message (for example <c>PatientService.UpdatePatient</c>).</param>
    /// <param name="requestId">The <c>request_id</c> the call was sent with, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static MhaRightsException FromRpcException(RpcException exception, string? operation = null, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Google.Rpc.Status? status = null;
        try
        {
            status = exception.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A corrupt details trailer must not hide the status code the call ended with.
        }

        var info = status?.GetDetail<ErrorInfo>();
        var badRequest = status?.GetDetail<BadRequest>();
        var metadata = info is null ? NoMetadata : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(info.Metadata));
        var violations = badRequest?.FieldViolations.Select(v => new MhaRightsFieldViolation(v.Field, v.Description)).ToArray()
            ?? [];
        var detail = status?.Message ?? exception.Status.Detail;
        var message = BuildMessage(operation, exception.StatusCode, info?.Reason, detail, violations);
        return new MhaRightsException(exception.StatusCode, message, info?.Reason, metadata, violations, requestId, exception)
        {
            RpcStatus = status,
        };
    }

    private static string BuildMessage(string? operation, StatusCode code, string? reason, string? detail, IReadOnlyList<MhaRightsFieldViolation> violations)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(operation))
        {
            text.Append(operation).Append(" failed: ");
        }

        text.Append(code);
        if (!string.IsNullOrEmpty(reason))
        {
            text.Append(" (").Append(reason).Append(')');
        }

        if (!string.IsNullOrEmpty(detail))
        {
            text.Append(": ").Append(detail);
        }

        if (violations.Count > 0)
        {
            text.Append(" [").AppendJoin("; ", violations.Select(v => $"{v.Field}: {v.Description}")).Append(']');
        }

        return text.ToString();
    }

    private static ErrorReason ParseReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return ErrorReason.Unspecified;
        }

        var value = CommonReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason")
            ?.FindValueByName("ERROR_REASON_" + reason);
        return value is null ? ErrorReason.Unspecified : (ErrorReason)value.Number;
    }
}

/// <summary>One invalid request field, from the google.rpc.BadRequest detail.</summary>
/// <param name="Field">The field path relative to the request message, for example <c>attempt.explained_by</c>.</param>
/// <param name="Description">Why it is invalid.</param>
public sealed record MhaRightsFieldViolation(string Field, string Description);
