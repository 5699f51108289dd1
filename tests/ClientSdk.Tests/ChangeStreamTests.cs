using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Client.Tests;

/// <summary>The SDK's change stream: an <see cref="IAsyncEnumerable{T}"/> that resumes from its cursor by itself.</summary>
public sealed class ChangeStreamTests
{
    [Fact]
    public async Task WatchChanges_ServerRestartsMidStream_ResumesFromCursorAndMissesNothing()
    {
        // One database; the stream starts on instance A, which stops ("restart"), and continues on instance B.
        await using var owner = await TestApp.StartAsync();
        var patient = await owner.CreatePatientAsync();
        var start = (await owner.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 1000 })).Events.Max(e => e.Sequence);
        var a = await TestApp.StartSecondInstanceAsync(owner);
        await using var b = await TestApp.StartSecondInstanceAsync(owner);
        var handler = new SwitchableHandler(a.CreateHandler());
        var options = new MhaRightsClientOptions
        {
            Address = new Uri("http://localhost"),
            Credential = MhaRightsCredential.FromApiKey(TestApp.KeyFor(Roles.EprIntegration)),
            HttpHandler = handler,
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        using var client = new MhaRightsClient(options);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var changes = client.Changes.WatchChangesAsync([patient.Name], afterSequence: start, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        var received = new List<Change>();
        var next = changes.MoveNextAsync();
        await SetNearestRelativeAsync(a, patient, "First");
        Assert.True(await next);
        received.Add(changes.Current);

        // B takes over the address; A stops (its stream ends UNAVAILABLE) with one change written meanwhile on B
        // and one after.
        handler.Target = new HttpMessageInvoker(b.CreateHandler());
        await SetNearestRelativeAsync(b, patient, "Second");
        await a.DisposeAsync();
        await SetNearestRelativeAsync(b, patient, "Third");
        while (received.Count < 3)
        {
            Assert.True(await changes.MoveNextAsync());
            received.Add(changes.Current);
        }

        var audited = (await b.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = patient.Name, PageSize = 1000 })).Events
            .Where(e => e.Sequence > start).Select(e => e.Sequence);
        Assert.Equal(audited, received.Select(c => c.Sequence));
        Assert.All(received, c => Assert.Equal(ChangeKind.PatientChanged, c.Kind));
    }

    [Fact]
    public async Task WatchChanges_RoleMayNotWatch_ThrowsPermissionDeniedWithoutRetrying()
    {
        await using var app = await TestApp.StartAsync();
        using var client = new MhaRightsClient(new MhaRightsClientOptions
        {
            Address = new Uri("http://localhost"),
            Credential = MhaRightsCredential.FromApiKey(TestApp.KeyFor(Roles.Admin)),
            HttpHandler = app.CreateHandler(),
        });

        var ex = await Assert.ThrowsAsync<MhaRightsException>(async () =>
        {
            await foreach (var unused in client.Changes.WatchChangesAsync(patients: null))
            {
            }
        });

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, ex.StatusCode);
    }

    private static Task SetNearestRelativeAsync(TestApp app, Patient patient, string name) =>
        app.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest
        {
            Name = patient.Name,
            NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = name, Relationship = "mother", Address = "1 High Street" },
        }).ResponseAsync;

    /// <summary>The client's one address, served by whichever instance is current.</summary>
    private sealed class SwitchableHandler(HttpMessageHandler initial) : HttpMessageHandler
    {
        public HttpMessageInvoker Target { get; set; } = new(initial);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Target.SendAsync(request, cancellationToken);
    }
}
