using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MhaRights.Client.Tests.Infrastructure;

/// <summary>What the server received on one call: the method, the headers the tests care about and the request.</summary>
public sealed record ReceivedCall(string Method, string? Authorization, string? RequestId, IMessage Request)
{
    /// <summary>The method without the package, for example <c>PatientService/CreatePatient</c>.</summary>
    public string ShortMethod => Method[(Method.LastIndexOf('.') + 1)..];
}

/// <summary>
/// Test-only server behaviour, registered through the server's configure hook: records every call, and injects
/// transient failures and slow work on request.
/// </summary>
public sealed class ServerProbe
{
    private readonly ConcurrentDictionary<string, int> _failAfterCommit = new();
    private readonly ConcurrentDictionary<string, int> _failBefore = new();
    private readonly ConcurrentDictionary<string, (TimeSpan Delay, int Remaining)> _slow = new();
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private int _slowCompleted;

    /// <summary>Every call received, in arrival order.</summary>
    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    /// <summary>Completes with how long a slowed call had waited when the server cancelled it.</summary>
    public TaskCompletionSource<TimeSpan> SlowCallCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Number of slowed calls whose delay ran to the end (the server did not stop the work).</summary>
    public int SlowCallsCompleted => _slowCompleted;

    /// <summary>Calls of one method (short form, for example <c>RightsService/RecordExplanationAttempt</c>).</summary>
    public IReadOnlyList<ReceivedCall> CallsTo(string shortMethod) => [.. _calls.Where(c => c.ShortMethod == shortMethod)];

    /// <summary>The next <paramref name="times"/> calls of the method run to completion (the transaction commits), then the client gets UNAVAILABLE, as if the response were lost.</summary>
    public void FailAfterCommit(string shortMethod, int times = 1) => _failAfterCommit[shortMethod] = times;

    /// <summary>The next <paramref name="times"/> calls of the method fail with UNAVAILABLE before the server does anything.</summary>
    public void FailBeforeHandling(string shortMethod, int times = 1) => _failBefore[shortMethod] = times;

    /// <summary>The next <paramref name="times"/> calls of the method wait <paramref name="delay"/> (honouring the call's cancellation) before any work.</summary>
    public void Slow(string shortMethod, TimeSpan delay, int times = int.MaxValue) => _slow[shortMethod] = (delay, times);

    /// <summary>Records a streaming call (no failure injection: streams resume on their own).</summary>
    internal void RecordStream(object request, ServerCallContext context)
    {
        var message = (IMessage)request;
        _calls.Enqueue(new ReceivedCall(context.Method, context.RequestHeaders.GetValue("authorization"), null, message));
    }

    internal async Task<TResponse> RecordAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var message = (IMessage)request;
        var requestIdField = message.Descriptor.FindFieldByName("request_id");
        var call = new ReceivedCall(
            context.Method,
            context.RequestHeaders.GetValue("authorization"),
            requestIdField is null ? null : (string)requestIdField.Accessor.GetValue(message),
            message);
        _calls.Enqueue(call);

        if (Take(_failBefore, call.ShortMethod))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "Injected transient failure before handling."));
        }

        var response = await continuation(request, context);
        if (Take(_failAfterCommit, call.ShortMethod))
        {
            // The server has committed and built its answer; the client never receives it.
            throw new RpcException(new Status(StatusCode.Unavailable, "Injected transient failure after the server committed."));
        }

        return response;
    }

    internal async Task<TResponse> WorkAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var method = context.Method[(context.Method.LastIndexOf('.') + 1)..];
        if (_slow.TryGetValue(method, out var slow) && slow.Remaining > 0)
        {
            _slow[method] = (slow.Delay, slow.Remaining - 1);
            var started = TimeProvider.System.GetTimestamp();
            try
            {
                // Stands for a handler's slow work (a big query), honouring the call's token as EF Core does.
                await Task.Delay(slow.Delay, context.CancellationToken);
                Interlocked.Increment(ref _slowCompleted);
            }
            catch (OperationCanceledException)
            {
                SlowCallCancelled.TrySetResult(TimeProvider.System.GetElapsedTime(started));
                throw;
            }
        }

        return await continuation(request, context);
    }

    private static bool Take(ConcurrentDictionary<string, int> counters, string method)
    {
        while (counters.TryGetValue(method, out var remaining) && remaining > 0)
        {
            if (counters.TryUpdate(method, remaining - 1, remaining))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Records calls and injects transient failures: the outermost interceptor, so it sees every call (even those access
/// control refuses) and a failure it injects after the handler comes after the transaction committed.
/// </summary>
public sealed class ServerProbeInterceptor(ServerProbe probe) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        probe.RecordAsync(request, context, continuation);

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        probe.RecordStream(request, context);
        return continuation(request, responseStream, context);
    }
}

/// <summary>
/// Slows handlers down on request: the innermost interceptor, so its cancellation goes through the server's own error
/// mapping exactly as a handler's would.
/// </summary>
public sealed class SlowWorkInterceptor(ServerProbe probe) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        probe.WorkAsync(request, context, continuation);
}
