using Grpc.Core;
using Grpc.Core.Interceptors;
using MhaRights.Server.Common;

namespace MhaRights.Server.Security;

/// <summary>
/// Enforces <see cref="AccessPolicy"/> on every call before any handler runs: UNAUTHENTICATED without a valid
/// credential, PERMISSION_DENIED when the role may not call the method.
/// </summary>
public sealed class AccessInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void Authorize(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AccessPolicy.IsAnonymous(context.Method))
        {
            return;
        }

        var caller = CallerIdentity.FromPrincipal(context.GetHttpContext().User);
        if (ReferenceEquals(caller, CallerIdentity.Anonymous))
        {
            throw new UnauthenticatedException("A valid API key (authorization: ApiKey <key>) or bearer token is required.");
        }

        if (!AccessPolicy.IsAllowed(context.Method, caller.Role))
        {
            throw new PermissionDeniedException(context.Method.TrimStart('/'), caller.Role);
        }
    }
}
