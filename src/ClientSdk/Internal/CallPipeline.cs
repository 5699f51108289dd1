using System.Diagnostics;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace MhaRights.Client.Internal;

/// <summary>Starts one unary gRPC call with the given options (a generated client's method).</summary>
internal delegate AsyncUnaryCall<TResponse> UnaryCall<in TRequest, TResponse>(TRequest request, CallOptions options);

/// <summary>
/// What every call goes through, shared by all resource clients of one <see cref="MhaRightsClient"/>: the
/// credential header, the per-attempt deadline, the retry pipeline, request-id stamping for writes, error
/// translation, logging and tracing. Immutable and thread-safe.
/// </summary>
internal sealed class CallPipeline
{
    /// <summary>Name of the <see cref="ActivitySource"/> that traces one span per logical call.</summary>
    public const string ActivitySourceName = "MhaRights.Client";

    private static readonly ActivitySource Activities = new(ActivitySourceName);
    private static readonly ResiliencePropertyKey<bool> IsReadKey = new("MhaRights.IsRead");
    private static readonly ResiliencePropertyKey<string?> RequestIdKey = new("MhaRights.RequestId");

    private readonly MhaRightsCredential? _credential;
    private readonly TimeSpan? _deadline;
    private readonly ResiliencePipeline _retry;
    private readonly int _maxRetries;
    private readonly bool _retryReadsOnDeadline;
    private readonly ILogger _logger;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _retryMaxDelay;

    public CallPipeline(ClientSettings settings, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _credential = settings.Credential;
        _deadline = settings.DefaultDeadline;
        _maxRetries = settings.MaxRetries;
        _retryReadsOnDeadline = settings.RetryReadsOnDeadlineExceeded;
        _retryDelay = settings.RetryDelay;
        _retryMaxDelay = settings.RetryMaxDelay;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("MhaRights.Client");
        _retry = settings.MaxRetries == 0 ? ResiliencePipeline.Empty : BuildRetry(settings);
    }

    /// <summary>A call without side effects: retried on UNAVAILABLE and (if enabled) DEADLINE_EXCEEDED.</summary>
    public Task<TResponse> ReadAsync<TRequest, TResponse>(string operation, TRequest request, UnaryCall<TRequest, TResponse> call, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync(operation, request, call, isRead: true, requestId: null, cancellationToken);
    }

    /// <summary>
    /// A call that changes state: stamped with a request_id once (unless the caller set one), so every retry is the
    /// same request and the server applies it at most once (AIP-155). Retried on UNAVAILABLE only.
    /// </summary>
    public Task<TResponse> WriteAsync<TRequest, TResponse>(string operation, TRequest request, UnaryCall<TRequest, TResponse> call, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(request);
        var (stamped, requestId) = RequestIds.Ensure(request);
        return InvokeAsync(operation, stamped, call, isRead: false, requestId, cancellationToken);
    }

    /// <summary>A List method as a lazily paged sequence; each page is a read.</summary>
    public AsyncPageable<TItem> List<TRequest, TResponse, TItem>(
        string operation,
        TRequest request,
        UnaryCall<TRequest, TResponse> call,
        Func<TResponse, IReadOnlyList<TItem>> items,
        Func<TResponse, string> nextPageToken,
        CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : IMessage
    {
        ArgumentNullException.ThrowIfNull(request);
        // Copy now so a caller who reuses their request object does not change pages fetched later.
        return new ListPageable<TRequest, TResponse, TItem>(this, operation, request.Clone(), call, items, nextPageToken, cancellationToken);
    }

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        UnaryCall<TRequest, TResponse> call,
        bool isRead,
        string? requestId,
        CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.method", operation);
        if (requestId is not null)
        {
            activity?.SetTag("mharights.request_id", requestId);
        }

        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        context.Properties.Set(IsReadKey, isRead);
        context.Properties.Set(RequestIdKey, requestId);
        try
        {
            return await _retry.ExecuteAsync(
                static (ctx, state) => state.Self.AttemptAsync(state.Request, state.Call, ctx.CancellationToken),
                context,
                (Self: this, Request: request, Call: call)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The caller asked to stop: whatever status won the race with the cancellation, report the cancellation.
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw new OperationCanceledException($"{operation} was cancelled by the caller.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            var error = MhaRightsException.FromRpcException(ex, operation, requestId);
            activity?.SetStatus(ActivityStatusCode.Error, error.StatusCode.ToString());
            activity?.SetTag("rpc.grpc.status_code", (int)error.StatusCode);
            Log.CallFailed(_logger, operation, error.StatusCode, error.Reason, requestId, null);
            throw error;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<TResponse> AttemptAsync<TRequest, TResponse>(TRequest request, UnaryCall<TRequest, TResponse> call, CancellationToken cancellationToken)
    {
        Metadata? headers = null;
        if (_credential is not null)
        {
            // Asked on every attempt, so a token provider can hand out a fresh token on a retry.
            var authorization = await _credential.GetAuthorizationValueAsync(cancellationToken).ConfigureAwait(false);
            headers = new Metadata { { "authorization", authorization } };
        }

        // gRPC compares deadlines with the system clock, so this must be wall-clock time, not a test clock.
        DateTime? deadline = _deadline is { } timeout ? TimeProvider.System.GetUtcNow().UtcDateTime + timeout : null;
        using var pending = call(request, new CallOptions(headers, deadline, cancellationToken));
        try
        {
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Cancelled or StatusCode.Unknown or StatusCode.Internal
            && !cancellationToken.IsCancellationRequested
            && deadline is { } due
            && TimeProvider.System.GetUtcNow().UtcDateTime >= due)
        {
            // The attempt's deadline passed, and an "interrupted" status (the server reporting its cancelled work, or the
            // transport failing as the call was torn down) reached the caller ahead of the client's own
            // DEADLINE_EXCEEDED. For gRPC a call whose deadline passed failed with DEADLINE_EXCEEDED, and that is what
            // the retry policy and the caller must see. Answers that say something about the request (NOT_FOUND,
            // INVALID_ARGUMENT...) are kept as they are.
            throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, $"Deadline exceeded ({ex.StatusCode}: {ex.Status.Detail})", ex), ex.Trailers);
        }
    }

    /// <summary>Delay before resuming a stream after <paramref name="failures"/> consecutive failures (the retry backoff, capped).</summary>
    public TimeSpan ResumeDelay(int failures)
    {
        var delay = _retryDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < _retryMaxDelay ? delay : _retryMaxDelay;
    }

    /// <summary>Call options for a long-lived stream: the credential, and no deadline (a stream has no natural end).</summary>
    public async ValueTask<CallOptions> StreamOptionsAsync(CancellationToken cancellationToken)
    {
        Metadata? headers = null;
        if (_credential is not null)
        {
            headers = new Metadata { { "authorization", await _credential.GetAuthorizationValueAsync(cancellationToken).ConfigureAwait(false) } };
        }

        return new CallOptions(headers, deadline: null, cancellationToken);
    }

    /// <summary>The SDK's exception for a failed stream, logged like a failed call.</summary>
    public MhaRightsException StreamFailed(string operation, RpcException exception)
    {
        var error = MhaRightsException.FromRpcException(exception, operation, requestId: null);
        Log.CallFailed(_logger, operation, error.StatusCode, error.Reason, null, null);
        return error;
    }

    private ResiliencePipeline BuildRetry(ClientSettings settings) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                MaxDelay = settings.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome.Exception, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(ServerRequestedDelay(args.Outcome.Exception, settings.RetryMaxDelay)),
                OnRetry = args =>
                {
                    args.Context.Properties.TryGetValue(RequestIdKey, out var requestId);
                    Log.Retrying(
                        _logger,
                        args.Context.OperationKey ?? "call",
                        (args.Outcome.Exception as RpcException)?.StatusCode ?? StatusCode.Unknown,
                        args.AttemptNumber + 1,
                        _maxRetries,
                        args.RetryDelay.TotalMilliseconds,
                        requestId,
                        null);
                    return default;
                },
            })
            .Build();

    private bool IsRetryable(Exception? exception, ResilienceContext context)
    {
        if (exception is not RpcException rpc || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return rpc.StatusCode switch
        {
            // Nothing reached the service, or the answer was lost: a read is harmless to repeat and a write
            // carries the same request_id, so the server returns the first result instead of applying it twice.
            StatusCode.Unavailable => true,
            // The first attempt of a write may still be running on the server, so only reads repeat.
            StatusCode.DeadlineExceeded => _retryReadsOnDeadline && context.Properties.TryGetValue(IsReadKey, out var isRead) && isRead,
            _ => false,
        };
    }

    /// <summary>Honours a google.rpc.RetryInfo delay when the server sends one (capped); otherwise the backoff decides.</summary>
    private static TimeSpan? ServerRequestedDelay(Exception? exception, TimeSpan maxDelay)
    {
        if (exception is not RpcException rpc)
        {
            return null;
        }

        try
        {
            var delay = rpc.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();
            return delay is { } d && d > TimeSpan.Zero ? (d < maxDelay ? d : maxDelay) : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
