using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using Status = Grpc.Core.Status;

namespace MhaRights.Client.Tests;

/// <summary>The client's own rules, over a fake call invoker: no transport timing involved.</summary>
public sealed class PipelineTests
{
    private static readonly GetWorkflowGraphRequest GraphRequest = new() { Workflow = "rights-duty", Format = GraphFormat.Mermaid };

    [Theory]
    [InlineData(StatusCode.Cancelled, StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Internal, StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unknown, StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound, StatusCode.NotFound)]
    public async Task Attempt_FailsAfterItsDeadline_InterruptionsReportedAsDeadlineExceeded(StatusCode failure, StatusCode reported)
    {
        var invoker = new FakeCallInvoker(async (_, _, options) =>
        {
            // Past the deadline however late this runs (a negative delay would throw instead of failing the call).
            var pastDeadline = options.Deadline!.Value - DateTime.UtcNow + TimeSpan.FromMilliseconds(20);
            await Task.Delay(pastDeadline > TimeSpan.Zero ? pastDeadline : TimeSpan.Zero);
            throw new RpcException(new Status(failure, "interrupted"));
        });
        var client = new MhaRightsClient(invoker, Options(o =>
        {
            o.DefaultDeadline = TimeSpan.FromMilliseconds(50);
            o.Retry.MaxRetries = 0;
        }));

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Equal(reported, ex.StatusCode);
    }

    [Fact]
    public async Task Attempt_CancelledBeforeItsDeadline_KeepsCancelled()
    {
        var invoker = new FakeCallInvoker((_, _, _) => throw new RpcException(new Status(StatusCode.Cancelled, "server shutting down")));
        var client = new MhaRightsClient(invoker, Options(o => o.Retry.MaxRetries = 0));

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Retry_EveryAttempt_GetsItsOwnDeadlineAndTheCredential()
    {
        var seen = new List<CallOptions>();
        var invoker = new FakeCallInvoker((_, _, options) =>
        {
            seen.Add(options);
            return seen.Count < 3
                ? throw new RpcException(new Status(StatusCode.Unavailable, "down"))
                : Task.FromResult<object>(new WorkflowGraph());
        });
        var client = new MhaRightsClient(invoker, Options(o =>
        {
            o.Credential = MhaRightsCredential.FromApiKey("mhr.key");
            o.DefaultDeadline = TimeSpan.FromSeconds(5);
        }));

        await client.Workflows.GetWorkflowGraphAsync(GraphRequest);

        Assert.Equal(3, seen.Count);
        Assert.All(seen, o => Assert.Equal("ApiKey mhr.key", o.Headers!.GetValue("authorization")));
        Assert.All(seen, o => Assert.InRange(o.Deadline!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)));
        Assert.True(seen[2].Deadline > seen[0].Deadline, "each attempt's deadline starts when the attempt does");
    }

    [Fact]
    public async Task NoDeadline_Configured_CallsWithoutDeadline()
    {
        CallOptions? seen = null;
        var invoker = new FakeCallInvoker((_, _, options) =>
        {
            seen = options;
            return Task.FromResult<object>(new WorkflowGraph());
        });
        var client = new MhaRightsClient(invoker, Options(o => o.DefaultDeadline = null));

        await client.Workflows.GetWorkflowGraphAsync(GraphRequest);

        Assert.Null(seen!.Value.Deadline);
        Assert.Null(seen.Value.Headers);
    }

    [Fact]
    public async Task Unavailable_WithServerRetryInfo_WaitsTheRequestedDelay()
    {
        var attempts = new List<DateTime>();
        var invoker = new FakeCallInvoker((_, _, _) =>
        {
            attempts.Add(DateTime.UtcNow);
            if (attempts.Count == 1)
            {
                var status = new Google.Rpc.Status { Code = (int)Code.Unavailable, Message = "overloaded" };
                status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(400)) }));
                throw status.ToRpcException();
            }

            return Task.FromResult<object>(new WorkflowGraph());
        });
        // The server's delay replaces the backoff (5 ms here), within MaxDelay.
        var client = new MhaRightsClient(invoker, Options(o => o.Retry.MaxDelay = TimeSpan.FromSeconds(1)));

        await client.Workflows.GetWorkflowGraphAsync(GraphRequest);

        Assert.True(attempts[1] - attempts[0] >= TimeSpan.FromMilliseconds(350), $"retried after {attempts[1] - attempts[0]}");
    }

    [Theory]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.PermissionDenied)]
    public async Task Call_NonTransientStatus_NotRetried(StatusCode code)
    {
        var invoker = new FakeCallInvoker((_, _, _) => throw new RpcException(new Status(code, "no")));
        var client = new MhaRightsClient(invoker, Options());

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(1, invoker.Calls);
    }

    [Fact]
    public async Task Retry_CallerCancelsDuringBackoff_OperationCanceledAndNoFurtherAttempt()
    {
        using var cancellation = new CancellationTokenSource();
        var invoker = new FakeCallInvoker((_, _, _) =>
        {
            // The caller gives up once the first attempt has failed, whenever that is: during the 30-second backoff.
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));
            throw new RpcException(new Status(StatusCode.Unavailable, "down"));
        });
        var client = new MhaRightsClient(invoker, Options(o =>
        {
            o.Retry.Delay = TimeSpan.FromSeconds(30);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest, cancellation.Token));

        Assert.Equal(1, invoker.Calls);
    }

    private static MhaRightsClientOptions Options(Action<MhaRightsClientOptions>? configure = null)
    {
        var options = new MhaRightsClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        configure?.Invoke(options);
        return options;
    }
}
