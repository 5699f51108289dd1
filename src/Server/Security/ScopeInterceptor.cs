using Grpc.Core;
using Grpc.Core.Interceptors;
using MhaRights.Server.Common;

namespace MhaRights.Server.Security;

/// <summary>
/// Runs after <see cref="AccessInterceptor"/>: checks the named-user header, then applies the organisation scope
/// (<see cref="PatientScope"/>) before any handler runs, so a refused call reads and writes nothing.
/// </summary>
public sealed class ScopeInterceptor : Interceptor
{
    /// <summary>Longest display name accepted in the header (the same bound as a key's display name).</summary>
    public const int MaxDisplayNameLength = 200;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await EnforceAsync(context, request);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await EnforceAsync(context, request);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await EnforceAsync(context, null);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await EnforceAsync(context, null);
        await continuation(requestStream, responseStream, context);
    }

    private static async Task EnforceAsync(ServerCallContext context, object? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AccessPolicy.IsAnonymous(context.Method))
        {
            return;
        }

        var http = context.GetHttpContext();
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Caller;
        CheckDisplayNameHeader(http.Request.Headers[ApiKeyAuthenticationHandler.DisplayNameHeader], caller.Scope);
        if (caller.Scope.TrustWide)
        {
            return;
        }

        var scope = http.RequestServices.GetRequiredService<PatientScope>();
        // Streaming requests carry no single patient: PatientScope treats their methods as trust-wide only.
        await scope.EnforceAsync(context.Method, request ?? new object(), context.CancellationToken);
    }

    /// <summary>
    /// The header names the person an EPR acts for, so only a key allowed to act for named users may send it
    /// (PERMISSION_DENIED otherwise, rather than silently dropping a name the caller expects to be recorded);
    /// its value is bounded and plain text like any other name (INVALID_ARGUMENT naming the header).
    /// </summary>
    internal static void CheckDisplayNameHeader(Microsoft.Extensions.Primitives.StringValues values, CallerScope scope)
    {
        if (values.Count == 0)
        {
            return;
        }

        const string field = ApiKeyAuthenticationHandler.DisplayNameHeader;
        if (!scope.MayActForNamedUser)
        {
            throw new ScopeDeniedException(ErrorReasons.NamedUserNotPermitted,
                $"The caller's credential may not act for a named user, so it may not send {field}.",
                new Dictionary<string, string> { ["header"] = field });
        }

        var value = values.Count == 1 ? values[0] ?? string.Empty : null;
        var v = new RequestValidator();
        if (value is null)
        {
            v.Add(field, "must be sent once");
        }
        else
        {
            v.RequiredText(field, value.Trim(), MaxDisplayNameLength);
        }

        v.ThrowIfInvalid();
    }
}
