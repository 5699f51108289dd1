namespace MhaRights.Server.Common;

/// <summary>
/// Base of every expected failure the domain raises. Only the gRPC interceptor (Api/ErrorMappingInterceptor)
/// turns these into status codes; nothing else in the code knows about gRPC.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>One offending request field, named by its proto path (e.g. <c>patient.nhs_number</c>).</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Bad input: maps to INVALID_ARGUMENT with a BadRequest detail.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldViolation> violations)
    : DomainException(BuildMessage(violations))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    public ValidationFailedException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    private static string BuildMessage(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"Invalid {violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} invalid fields: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
}

/// <summary>A named resource does not exist: NOT_FOUND.</summary>
public sealed class ResourceNotFoundException(string resourceName)
    : DomainException($"{resourceName} was not found.")
{
    public string ResourceName { get; } = resourceName;
}

/// <summary>A resource with the same identity exists: ALREADY_EXISTS.</summary>
public sealed class ResourceAlreadyExistsException(string field, string message) : DomainException(message)
{
    public string Field { get; } = field;
}

/// <summary>The caller's etag is stale: ABORTED with the current etag.</summary>
public sealed class EtagMismatchException(string resourceName, string currentEtag)
    : DomainException($"The etag does not match the current version of {resourceName}; read it again and retry.")
{
    public string ResourceName { get; } = resourceName;

    public string CurrentEtag { get; } = currentEtag;
}

/// <summary>Another request changed the same row concurrently: ABORTED.</summary>
public sealed class ConcurrentModificationException(string resourceName, string? currentEtag)
    : DomainException($"{resourceName} was changed by another request at the same time; read it again and retry.")
{
    public string ResourceName { get; } = resourceName;

    public string? CurrentEtag { get; } = currentEtag;
}

/// <summary>A business rule (other than a state transition) refuses the request: FAILED_PRECONDITION.</summary>
public sealed class PreconditionFailedException(string rule, string message, string reason = ErrorReasons.PreconditionFailed)
    : DomainException(message)
{
    public string Rule { get; } = rule;

    public string Reason { get; } = reason;
}

/// <summary>The request_id was used before for a different request: INVALID_ARGUMENT.</summary>
public sealed class RequestIdReusedException(string requestId)
    : DomainException($"request_id {requestId} was already used for a different request.")
{
    public string RequestId { get; } = requestId;
}

/// <summary>No valid credential was presented: UNAUTHENTICATED.</summary>
public sealed class UnauthenticatedException(string message) : DomainException(message);

/// <summary>The caller's role may not call this method: PERMISSION_DENIED.</summary>
public sealed class PermissionDeniedException(string method, string role)
    : DomainException($"Role '{role}' may not call {method}.")
{
    public string Method { get; } = method;

    public string Role { get; } = role;
}

/// <summary>
/// The caller's role may call the method but its scope does not reach this data (outside its sites, a trust-wide
/// RPC, a named user it may not act for, identifiers it may not see): PERMISSION_DENIED with <see cref="Reason"/>.
/// </summary>
public sealed class ScopeDeniedException(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null)
    : DomainException(message)
{
    public string Reason { get; } = reason;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();
}

/// <summary>
/// The unit of work ran but the transaction it shared with other units failed to commit, so nothing of it was kept:
/// UNAVAILABLE, because retrying with the same request_id is safe.
/// </summary>
public sealed class WriteNotCommittedException(Exception inner)
    : DomainException("The change was not saved because the database could not commit it; retry with the same request_id.")
{
    public Exception Cause { get; } = inner;
}

/// <summary>
/// The database cannot take writes now — its lock held past Database:WriteLockTimeout, read-only, full or failing
/// (Persistence/DatabaseFailures.cs): UNAVAILABLE with <see cref="Reason"/>; nothing was written.
/// </summary>
public sealed class DatabaseUnavailableException(string reason, string message, Exception? cause)
    : DomainException(message)
{
    public string Reason { get; } = reason;

    public Exception? Cause { get; } = cause;
}

/// <summary>The stable ErrorInfo reasons; documented in protos/mharights/v1/common.proto (ErrorReason).</summary>
public static class ErrorReasons
{
    public const string Domain = "mharights.nhs.uk";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string ResourceNotFound = "RESOURCE_NOT_FOUND";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string EtagMismatch = "ETAG_MISMATCH";
    public const string ConcurrentModification = "CONCURRENT_MODIFICATION";
    public const string InvalidStateTransition = "INVALID_STATE_TRANSITION";
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string RequestIdReused = "REQUEST_ID_REUSED";
    public const string NotImplemented = "NOT_IMPLEMENTED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string CommunicationNeedUnaddressed = "COMMUNICATION_NEED_UNADDRESSED";
    public const string WriteNotCommitted = "WRITE_NOT_COMMITTED";
    public const string DatabaseBusy = "DATABASE_BUSY";
    public const string DatabaseReadOnly = "DATABASE_READ_ONLY";
    public const string DatabaseFull = "DATABASE_FULL";
    public const string DatabaseIoError = "DATABASE_IO_ERROR";
    public const string OutsideCallerSites = "OUTSIDE_CALLER_SITES";
    public const string TrustWideAccessRequired = "TRUST_WIDE_ACCESS_REQUIRED";
    public const string NamedUserNotPermitted = "NAMED_USER_NOT_PERMITTED";
    public const string IdentifiableAccessRequired = "IDENTIFIABLE_ACCESS_REQUIRED";
}
