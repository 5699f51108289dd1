using System.Net.Sockets;
using Grpc.Core;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>Transient failures are retried, and a retried write is applied exactly once (AIP-155 request ids).</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task RecordExplanationAttempt_ResponseLostAfterServerCommitted_RetryReturnsFirstResultAndOneAttemptExists()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.EprIntegration);
        var patient = await client.CreatePatientAsync();
        await client.StartEpisodeAsync(server, patient);
        var duty = await client.Section1321DutyAsync(patient);
        server.Probe.FailAfterCommit("RightsService/RecordExplanationAttempt");

        var request = new RecordExplanationAttemptRequest { Parent = duty.Name, Attempt = TestData.Attempt(server) };
        var recorded = await client.Rights.RecordExplanationAttemptAsync(request);

        // Two attempts reached the server, the second carrying the first one's request_id...
        var calls = server.Probe.CallsTo("RightsService/RecordExplanationAttempt");
        Assert.Equal(2, calls.Count);
        Assert.False(string.IsNullOrEmpty(calls[0].RequestId));
        Assert.Equal(calls[0].RequestId, calls[1].RequestId);
        // ...and the server answered the retry with the first result instead of recording it again.
        var office = await server.CreateClientAsync(InProcessServer.MhaOffice);
        var attempts = await office.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = duty.Name }).ToListAsync();
        var attempt = Assert.Single(attempts);
        Assert.Equal(attempt.Name, recorded.Attempt.Name);
        Assert.Equal(1, (await office.Rights.GetDutyAsync(duty.Name)).AttemptCount);
        var events = await office.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = patient.Name }).ToListAsync();
        Assert.Single(events, e => e.Action == "RecordExplanationAttempt");
        // The caller's request object is left as it was.
        Assert.Equal(string.Empty, request.RequestId);
    }

    [Fact]
    public async Task CreatePatient_ConnectionDroppedAfterServerAnswered_RetriedAndOnePatientCreated()
    {
        await using var server = await InProcessServer.StartAsync();
        var key = await server.CreateApiKeyAsync(InProcessServer.MhaOffice);
        using var dropping = new DropFirstResponseHandler(server.CreateHandler());
        var client = server.CreateClient(MhaRightsCredential.FromApiKey(key), o => o.HttpHandler = dropping);

        var created = await client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "DROP-1" } });

        Assert.Equal(2, dropping.Requests);
        var matches = await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = "DROP-1" }).ToListAsync();
        Assert.Equal(created.Name, Assert.Single(matches).Name);
    }

    [Fact]
    public async Task GetPatient_UnavailableTwice_RetriedUntilItSucceeds()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var patient = await client.CreatePatientAsync();
        server.Probe.FailBeforeHandling("PatientService/GetPatient", times: 2);

        var read = await client.Patients.GetPatientAsync(patient.Name);

        Assert.Equal(patient.Etag, read.Etag);
        Assert.Equal(3, server.Probe.CallsTo("PatientService/GetPatient").Count);
    }

    [Fact]
    public async Task CreatePatient_UnavailableBeyondRetries_ThrowsWithRequestIdThatResendsSafely()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(configure: o => o.Retry.MaxRetries = 2);
        server.Probe.FailAfterCommit("PatientService/CreatePatient", times: 3);
        var request = new CreatePatientRequest { Patient = new Patient { LocalId = "OUTAGE-1" } };

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.CreatePatientAsync(request));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.NotNull(ex.RequestId);
        Assert.All(server.Probe.CallsTo("PatientService/CreatePatient"), c => Assert.Equal(ex.RequestId, c.RequestId));
        Assert.Equal(3, server.Probe.CallsTo("PatientService/CreatePatient").Count);

        // Later, the same request with the same id returns the patient the first attempt created.
        request.RequestId = ex.RequestId;
        var created = await client.Patients.CreatePatientAsync(request);
        var matches = await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = "OUTAGE-1" }).ToListAsync();
        Assert.Equal(created.Name, Assert.Single(matches).Name);
    }

    [Fact]
    public async Task CreatePatient_SameRequestObjectSentTwice_EachCallGetsItsOwnRequestId()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var request = new CreatePatientRequest { Patient = new Patient { LocalId = "TWICE-1" } };

        await client.Patients.CreatePatientAsync(request);
        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.CreatePatientAsync(request));

        // A second logical call is not mistaken for a retry of the first: the server sees a new id and refuses
        // the duplicate patient instead of silently returning the first one.
        Assert.Equal(MhaRightsErrorReasons.AlreadyExists, ex.Reason);
        var calls = server.Probe.CallsTo("PatientService/CreatePatient");
        Assert.Equal(2, calls.Count);
        Assert.NotEqual(calls[0].RequestId, calls[1].RequestId);
        Assert.Equal(string.Empty, request.RequestId);
    }

    [Fact]
    public async Task CreatePatient_CallerSuppliedRequestId_SentUnchangedOnEveryAttempt()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        server.Probe.FailBeforeHandling("PatientService/CreatePatient");
        var requestId = Guid.NewGuid().ToString();

        await client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "OWN-ID" }, RequestId = requestId });

        Assert.All(server.Probe.CallsTo("PatientService/CreatePatient"), c => Assert.Equal(requestId, c.RequestId));
        Assert.Equal(2, server.Probe.CallsTo("PatientService/CreatePatient").Count);
    }

    [Fact]
    public async Task GetPatient_NotFound_NotRetried()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.GetPatientAsync("patients/unknown"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Single(server.Probe.CallsTo("PatientService/GetPatient"));
    }

    [Fact]
    public async Task GetWorkflowGraph_RetriesDisabled_UnavailableSurfacesAtOnce()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(configure: o => o.Retry.MaxRetries = 0);
        server.Probe.FailBeforeHandling("WorkflowService/GetWorkflowGraph");

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() =>
            client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid }));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Single(server.Probe.CallsTo("WorkflowService/GetWorkflowGraph"));
    }

    /// <summary>Lets the first request reach the server and complete, then loses the response, as a dropped connection would.</summary>
    private sealed class DropFirstResponseHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => _requests;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _requests) == 1)
            {
                // Read the whole answer (trailers included) so the server has certainly finished, then drop it.
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                response.Dispose();
                // As SocketsHttpHandler reports a reset connection (gRPC maps the socket error to UNAVAILABLE).
                throw new HttpRequestException("Connection reset (injected).", new IOException("Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset)));
            }

            return response;
        }
    }
}
