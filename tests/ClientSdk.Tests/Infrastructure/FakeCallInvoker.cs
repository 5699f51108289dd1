using Grpc.Core;

namespace MhaRights.Client.Tests.Infrastructure;

/// <summary>
/// A <see cref="CallInvoker"/> whose unary calls are answered by a delegate, for testing the client's own rules
/// (deadlines, retries, error translation) without a transport's timing in the way.
/// </summary>
public sealed class FakeCallInvoker(Func<string, object, CallOptions, Task<object>> respond) : CallInvoker
{
    private int _calls;

    /// <summary>Number of unary calls started.</summary>
    public int Calls => _calls;

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Interlocked.Increment(ref _calls);
        var response = RespondAsync<TResponse>(method.FullName, request, options);
        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private async Task<TResponse> RespondAsync<TResponse>(string method, object request, CallOptions options) =>
        (TResponse)await respond(method, request, options);
}
