using System.Diagnostics;
using Grpc.Core;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>The per-attempt deadline reaches the server, which stops the work; only reads are retried after it.</summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan ServerWork = TimeSpan.FromSeconds(30);
    // Far below the server's work, and long enough for a first call on a new connection to reach the server on a
    // busy machine (a call that expires before the server sees it proves nothing about the server stopping work).
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task GetWorkflowGraph_DeadlineShorterThanServerWork_DeadlineExceededAndServerStopsTheWork()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(configure: o =>
        {
            o.DefaultDeadline = ShortDeadline;
            o.Retry.MaxRetries = 0;
        });
        server.Probe.Slow("WorkflowService/GetWorkflowGraph", ServerWork);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() =>
            client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid }));

        Assert.True(ex.StatusCode == StatusCode.DeadlineExceeded, ex.ToString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"the call took {stopwatch.Elapsed}");
        // The server's call token fired: the work was cancelled, not left running for 30 seconds.
        var waited = await server.Probe.SlowCallCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(waited < TimeSpan.FromSeconds(10), $"the server worked for {waited}");
        Assert.Equal(0, server.Probe.SlowCallsCompleted);
    }

    [Fact]
    public async Task GetWorkflowGraph_FirstAttemptExceedsDeadline_ReadRetriedAndSucceeds()
    {
        await using var server = await InProcessServer.StartAsync();
        // Long enough for the retry to finish on a busy machine; the slowed first attempt still exceeds it.
        var client = await server.CreateClientAsync(configure: o => o.DefaultDeadline = TimeSpan.FromSeconds(2));
        server.Probe.Slow("WorkflowService/GetWorkflowGraph", ServerWork, times: 1);

        var graph = await client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid });

        Assert.False(string.IsNullOrEmpty(graph.Text));
        Assert.Equal(2, server.Probe.CallsTo("WorkflowService/GetWorkflowGraph").Count);
    }

    [Fact]
    public async Task CreatePatient_DeadlineExceeded_WriteNotRetriedAndNothingCreated()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(configure: o =>
        {
            o.DefaultDeadline = ShortDeadline;
            o.Retry.MaxRetries = 3;
        });
        server.Probe.Slow("PatientService/CreatePatient", ServerWork);

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() =>
            client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "SLOW-1" } }));

        Assert.True(ex.StatusCode == StatusCode.DeadlineExceeded, ex.ToString());
        Assert.NotNull(ex.RequestId);
        Assert.Single(server.Probe.CallsTo("PatientService/CreatePatient"));
        await server.Probe.SlowCallCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = "SLOW-1" }).ToListAsync());
    }

    [Fact]
    public async Task GetWorkflowGraph_CallerCancels_OperationCanceledAndServerStopsTheWork()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        server.Probe.Slow("WorkflowService/GetWorkflowGraph", ServerWork);
        using var cancellation = new CancellationTokenSource(ShortDeadline);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid }, cancellation.Token));

        await server.Probe.SlowCallCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(server.Probe.CallsTo("WorkflowService/GetWorkflowGraph"));
    }
}
