using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Changes;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MhaRights.Server.Tests.Changes;

/// <summary>WatchChanges (issue 17): filters, heartbeats with the cursor, resuming, and the bounded buffer.</summary>
public sealed class ChangeStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WatchChanges_PatientAndKindFilter_OnlyThatPatientsOverdueDutyArrives()
    {
        await using var app = await TestApp.StartAsync();
        var watched = await app.CreatePatientAsync();
        var other = await app.CreatePatientAsync();
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.EprIntegration));
        using var cts = new CancellationTokenSource(Patience);
        var request = new WatchChangesRequest { HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) };
        request.Patients.Add(watched.Name);
        request.Kinds.Add(ChangeKind.DutyOverdue);
        using var call = client.WatchChanges(request, cancellationToken: cts.Token);
        var first = await NextAsync(call, cts.Token);
        Assert.Equal(WatchChangesResponse.EventOneofCase.Heartbeat, first.EventCase);

        // s136: four-hour SLA for both patients; only the watched patient's overdue duty may arrive.
        await app.StartAsync(watched, Provision.Section136);
        await app.StartAsync(other, Provision.Section136);
        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(5));

        // Every change up to the next heartbeat: exactly the watched patient's overdue duties, nothing else.
        var changes = new List<Change> { await NextChangeAsync(call, cts.Token) };
        WatchChangesResponse next;
        while ((next = await NextAsync(call, cts.Token)).EventCase == WatchChangesResponse.EventOneofCase.Change)
        {
            changes.Add(next.Change);
        }

        var overdue = (await app.DutiesAsync(watched)).Where(d => d.State == RightsDuty.Types.State.Overdue).Select(d => d.Name).Order(StringComparer.Ordinal);
        Assert.NotEmpty(overdue);
        Assert.Equal(overdue, changes.Select(c => c.Resource).Order(StringComparer.Ordinal));
        Assert.All(changes, c =>
        {
            Assert.Equal(ChangeKind.DutyOverdue, c.Kind);
            Assert.Equal(watched.Name, c.Patient);
            Assert.Equal("Overdue", c.ToState);
            Assert.Equal($"auditEvents/{c.Sequence}", c.AuditEvent);
        });

        // The heartbeat after them carries a cursor past the last change.
        Assert.True(next.Heartbeat.Cursor >= changes.Max(c => c.Sequence));
    }

    [Fact]
    public async Task WatchChanges_Idle_HeartbeatsRepeatWithTheCurrentCursor()
    {
        await using var app = await TestApp.StartAsync();
        await app.CreatePatientAsync();
        var lastSequence = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 1000 })).Events.Max(e => e.Sequence);
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.Auditor));
        using var cts = new CancellationTokenSource(Patience);
        using var call = client.WatchChanges(new WatchChangesRequest { HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }, cancellationToken: cts.Token);

        var started = TimeProvider.System.GetTimestamp();
        var beats = new List<Heartbeat>();
        while (beats.Count < 3)
        {
            var message = await NextAsync(call, cts.Token);
            Assert.Equal(WatchChangesResponse.EventOneofCase.Heartbeat, message.EventCase);
            beats.Add(message.Heartbeat);
        }

        // Started "from now": the cursor is the end of the trail, and silence produces one beat per interval.
        Assert.All(beats, b => Assert.Equal(lastSequence, b.Cursor));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task WatchChanges_AfterSequence_ReplaysEveryLaterChangeInOrder()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var events = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = patient.Name, PageSize = 1000 })).Events;
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.MhaOffice));
        using var cts = new CancellationTokenSource(Patience);
        var request = new WatchChangesRequest { AfterSequence = events[0].Sequence - 1 };
        request.Patients.Add(patient.Name);
        using var call = client.WatchChanges(request, cancellationToken: cts.Token);

        var changes = new List<Change>();
        while (changes.Count < events.Count)
        {
            changes.Add(await NextChangeAsync(call, cts.Token));
        }

        Assert.Equal(events.Select(e => e.Sequence), changes.Select(c => c.Sequence));
        Assert.All(changes, c => Assert.Equal(ChangeKind.PatientChanged, c.Kind));
    }

    [Fact]
    public async Task WatchChanges_BadFilters_InvalidArgumentNamingEachField()
    {
        await using var app = await TestApp.StartAsync();
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.MhaOffice));
        var request = new WatchChangesRequest { AfterSequence = -1, HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromHours(1)) };
        request.Patients.Add("wards/1");
        request.Kinds.Add(ChangeKind.Unspecified);

        using var call = client.WatchChanges(request);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["after_sequence", "heartbeat_interval", "kinds[0]", "patients[0]"], ex.BadRequest().FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WatchChanges_AdminRole_PermissionDenied()
    {
        await using var app = await TestApp.StartAsync();
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.Admin));

        using var call = client.WatchChanges(new WatchChangesRequest());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task WatchChanges_SubscriberStopsReading_OverflowNamesTheLastDeliveredCursor()
    {
        await using var app = await TestApp.StartAsync(null, "--Changes:BufferSize=3");
        for (var i = 0; i < 4; i++)
        {
            await app.CreatePatientAsync();
        }

        var stream = app.Services.GetRequiredService<ChangeStream>();
        var writer = new StalledWriter(deliverFirst: 1);
        using var cts = new CancellationTokenSource(Patience);

        var ex = await Assert.ThrowsAsync<ChangeStreamOverflowException>(() => stream.RunAsync(new WatchChangesRequest { AfterSequence = 1 }, writer, cts.Token));

        // Eight changes for a buffer of three behind a stalled write: only the opening heartbeat (cursor 1) went
        // out, so the subscriber is told to resume after 1 and loses nothing.
        Assert.True(writer.Delivered.Count <= 1);
        Assert.All(writer.Delivered, m => Assert.Equal(1, m.Heartbeat.Cursor));
        Assert.Equal(1, ex.ResumeAfter);
    }

    [Fact]
    public async Task WatchChanges_ServerStops_StreamEndsUnavailableWithResumeCursor()
    {
        await using var app = await TestApp.StartAsync();
        var client = new ChangeService.ChangeServiceClient(app.ChannelFor(Roles.MhaOffice));
        using var call = client.WatchChanges(new WatchChangesRequest());
        var first = await NextAsync(call, CancellationToken.None);

        // The host signals that it is stopping before its server stops; that signal is what the stream answers. (The
        // UNAVAILABLE without details once seen here was the stream resetting its own write, not the transport:
        // RunAsync_ServerStopsDuringAWrite_... below.)
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal("SERVER_STOPPING", ex.ErrorInfo().Reason);
        Assert.Equal(first.Heartbeat.Cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.ErrorInfo().Metadata["resume_after_sequence"]);
    }

    [Fact]
    public async Task RunAsync_ServerStopsDuringAWrite_WriteFinishesUncancelledAndStopNamesItsCursor()
    {
        await using var app = await TestApp.StartAsync();
        await app.CreatePatientAsync();
        var stream = app.Services.GetRequiredService<ChangeStream>();
        var writer = new HeldWriter();
        using var cts = new CancellationTokenSource(Patience);
        var run = stream.RunAsync(new WatchChangesRequest { AfterSequence = 1 }, writer, cts.Token);
        await writer.Started.Task.WaitAsync(Patience);

        // The stop arrives while the opening heartbeat is being written. Cancelling that write would make gRPC
        // reset the HTTP/2 stream, and the subscriber would get UNAVAILABLE without the cursor to resume from.
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        writer.Release.SetResult();
        var ex = await Assert.ThrowsAsync<ServerStoppingException>(() => run.WaitAsync(Patience));

        Assert.False(writer.CancelledDuringWrite);
        Assert.Equal(1, Assert.Single(writer.Delivered).Heartbeat.Cursor);
        Assert.Equal(1, ex.ResumeAfter);
    }

    private static async Task<WatchChangesResponse> NextAsync(AsyncServerStreamingCall<WatchChangesResponse> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken), "the stream ended");
        return call.ResponseStream.Current;
    }

    private static async Task<Change> NextChangeAsync(AsyncServerStreamingCall<WatchChangesResponse> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await NextAsync(call, cancellationToken);
            if (message.Change is { } change)
            {
                return change;
            }
        }
    }

    /// <summary>A subscriber whose first write stays under way until released, noting whether its token fired meanwhile.</summary>
    private sealed class HeldWriter : IServerStreamWriter<WatchChangesResponse>
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CancelledDuringWrite { get; private set; }

        public List<WatchChangesResponse> Delivered { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(WatchChangesResponse message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(WatchChangesResponse message, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            using (cancellationToken.Register(() => CancelledDuringWrite = true))
            {
                await Release.Task;
            }

            Delivered.Add(message);
        }
    }

    /// <summary>A subscriber that takes <c>deliverFirst</c> messages and then never finishes another write.</summary>
    private sealed class StalledWriter(int deliverFirst) : IServerStreamWriter<WatchChangesResponse>
    {
        private readonly TaskCompletionSource _never = new();

        public List<WatchChangesResponse> Delivered { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(WatchChangesResponse message)
        {
            if (Delivered.Count >= deliverFirst)
            {
                return _never.Task;
            }

            Delivered.Add(message);
            return Task.CompletedTask;
        }
    }
}
