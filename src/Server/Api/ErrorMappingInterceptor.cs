using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MhaRights.Server.Changes;
using MhaRights.Server.Common;
using MhaRights.Server.Workflow;

namespace MhaRights.Server.Api;

/// <summary>
/// The one place that knows gRPC status codes: maps domain, validation and state-machine exceptions to
/// google.rpc.Status with an ErrorInfo (AIP-193) and, for bad input, a BadRequest naming each field.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case ValidationFailedException v:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(v.Violations.Select(f => new BadRequest.Types.FieldViolation { Field = f.Field, Description = f.Description }));
                return Build(Code.InvalidArgument, v.Message, ErrorReasons.InvalidArgument,
                    new Dictionary<string, string> { ["fields"] = string.Join(',', v.Violations.Select(f => f.Field).Distinct()) },
                    badRequest);
            case ResourceNotFoundException nf:
                return Build(Code.NotFound, nf.Message, ErrorReasons.ResourceNotFound,
                    new Dictionary<string, string> { ["resource"] = nf.ResourceName },
                    new ResourceInfo { ResourceName = nf.ResourceName, Description = nf.Message });
            case ResourceAlreadyExistsException ae:
                return Build(Code.AlreadyExists, ae.Message, ErrorReasons.AlreadyExists,
                    new Dictionary<string, string> { ["field"] = ae.Field });
            case EtagMismatchException em:
                return Build(Code.Aborted, em.Message, ErrorReasons.EtagMismatch,
                    new Dictionary<string, string> { ["resource"] = em.ResourceName, ["current_etag"] = em.CurrentEtag });
            case ConcurrentModificationException cm:
                return Build(Code.Aborted, cm.Message, ErrorReasons.ConcurrentModification,
                    new Dictionary<string, string> { ["resource"] = cm.ResourceName, ["current_etag"] = cm.CurrentEtag ?? string.Empty });
            case InvalidTransitionException it:
                var failure = new PreconditionFailure();
                failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = "STATE", Subject = it.Trigger.ToString() ?? string.Empty, Description = it.Message });
                return Build(Code.FailedPrecondition, it.Message, ErrorReasons.InvalidStateTransition,
                    new Dictionary<string, string>
                    {
                        ["state"] = it.State.ToString() ?? string.Empty,
                        ["trigger"] = it.Trigger.ToString() ?? string.Empty,
                        ["unmet_guards"] = string.Join("; ", it.UnmetGuards),
                    },
                    failure);
            case PreconditionFailedException pf:
                return Build(Code.FailedPrecondition, pf.Message, pf.Reason,
                    new Dictionary<string, string> { ["rule"] = pf.Rule });
            case RequestIdReusedException ri:
                var reused = new BadRequest();
                reused.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = "request_id", Description = ri.Message });
                return Build(Code.InvalidArgument, ri.Message, ErrorReasons.RequestIdReused,
                    new Dictionary<string, string> { ["request_id"] = ri.RequestId }, reused);
            case DatabaseUnavailableException du:
                // An operational condition, not a bug: one line at Warning, no stack trace.
                LogDatabaseUnavailable(logger, context.Method, du.Reason, du.Cause?.Message ?? du.Message);
                return Build(Code.Unavailable, du.Message, du.Reason, new Dictionary<string, string>());
            case WriteNotCommittedException wn:
                LogNotCommitted(logger, context.Method, wn.Cause);
                return Build(Code.Unavailable, wn.Message, ErrorReasons.WriteNotCommitted, new Dictionary<string, string>());
            case ChangeStreamOverflowException co:
                return Build(Code.ResourceExhausted, co.Message, ChangeStreamOverflowException.Reason,
                    new Dictionary<string, string> { ["resume_after_sequence"] = co.ResumeAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            case ServerStoppingException ss:
                return Build(Code.Unavailable, ss.Message, ServerStoppingException.Reason,
                    new Dictionary<string, string> { ["resume_after_sequence"] = ss.ResumeAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            case UnauthenticatedException ua:
                return Build(Code.Unauthenticated, ua.Message, ErrorReasons.Unauthenticated, new Dictionary<string, string>());
            case PermissionDeniedException pd:
                return Build(Code.PermissionDenied, pd.Message, ErrorReasons.PermissionDenied,
                    new Dictionary<string, string> { ["method"] = pd.Method, ["role"] = pd.Role });
            case ScopeDeniedException sd:
                return Build(Code.PermissionDenied, sd.Message, sd.Reason, new Dictionary<string, string>(sd.Metadata));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                // The work stopped because the caller's deadline passed (or the caller went away): say which.
                // gRPC deadlines are wall-clock transport times, not the domain clock, hence TimeProvider.System.
                return context.Deadline <= TimeProvider.System.GetUtcNow().UtcDateTime
                    ? new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "The call's deadline passed; the work was stopped."))
                    : new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled; the work was stopped."));
            default:
                LogUnexpected(logger, context.Method, exception);
                return Build(Code.Internal, "An internal error occurred; it has been logged.", "INTERNAL", new Dictionary<string, string>());
        }
    }

    /// <summary>The answer to request bytes that do not decode as the method's request message (raised by the
    /// request marshaller, Hosting/StrictRequestMethodProvider.cs, before any interceptor runs).</summary>
    public static RpcException MalformedRequest(string messageType)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = "request", Description = $"is not a valid {messageType} protobuf message" });
        return Build(Code.InvalidArgument, $"The request body is not a valid {messageType} message.", ErrorReasons.InvalidArgument,
            new Dictionary<string, string> { ["fields"] = "request" }, badRequest);
    }

    private static RpcException Build(Code code, string message, string reason, Dictionary<string, string> metadata, Google.Protobuf.IMessage? detail = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain };
        info.Metadata.Add(metadata);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        if (detail is not null)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write in {Method} was refused: {Reason} ({Detail})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write in {Method} was not committed")]
    private static partial void LogNotCommitted(ILogger logger, string method, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method}")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception exception);
}
