using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Api;
using AuditEvent = MhaRights.Server.Audit.AuditEvent;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Changes;

/// <summary>
/// One WatchChanges call: reads the audit trail after the cursor, keeps the changes that match the filters and
/// writes them through a bounded buffer. Woken by commits in this process (<see cref="CommitSignal"/>) and by a
/// poll for other instances' writes; a heartbeat carries the cursor whenever the stream has been silent.
/// </summary>
public sealed class ChangeStream(IServiceScopeFactory scopes, CommitSignal commits, ChangeOptions options, IHostApplicationLifetime lifetime, TimeProvider clock)
{
    private static readonly TimeSpan MinHeartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxHeartbeat = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopWriteGrace = TimeSpan.FromSeconds(5);

    // Poll and heartbeat waits are transport timings, not domain time: they run on the wall clock even when the
    // domain clock is a test's fake one.
    private static readonly TimeProvider Wall = TimeProvider.System;

    public async Task RunAsync(WatchChangesRequest request, IServerStreamWriter<WatchChangesResponse> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writer);
        var (patientIds, kinds, heartbeat) = Validate(request);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        // Writes get their own token: gRPC resets the HTTP/2 stream when a write's token fires mid-write, and a reset
        // loses the status below (and its resume cursor). A stop lets the write under way finish instead.
        using var abortWrite = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cursor = request.AfterSequence > 0 ? request.AfterSequence : await LastSequenceAsync(stop.Token);
        var delivered = cursor;
        var buffer = Channel.CreateBounded<WatchChangesResponse>(new BoundedChannelOptions(options.BufferSize) { SingleReader = true, SingleWriter = true });
        var pump = PumpAsync(buffer.Reader, writer, sequence => Volatile.Write(ref delivered, sequence), stop.Token, abortWrite.Token);

        void Enqueue(WatchChangesResponse message)
        {
            if (!buffer.Writer.TryWrite(message))
            {
                throw new ChangeStreamOverflowException(Volatile.Read(ref delivered));
            }
        }

        try
        {
            // A first heartbeat tells a subscriber starting "from now" where now is.
            Enqueue(Heartbeat(cursor));
            var lastSent = Wall.GetTimestamp();
            while (true)
            {
                // A cancelled wait returns normally (WhenAny): stop here, before the next read needs services the
                // host may already be disposing (a database read can outlast a short shutdown timeout).
                stop.Token.ThrowIfCancellationRequested();
                var committed = commits.Next;
                var batch = await ReadAsync(cursor, patientIds, stop.Token);
                foreach (var e in batch)
                {
                    cursor = e.Sequence;
                    if (ChangeKinds.Classify(e) is { } kind && (kinds is null || kinds.Contains(kind)))
                    {
                        Enqueue(new WatchChangesResponse { Change = ToChange(e, kind) });
                        lastSent = Wall.GetTimestamp();
                    }
                }

                if (batch.Count == options.BatchSize)
                {
                    continue;
                }

                var silent = Wall.GetElapsedTime(lastSent);
                if (silent >= heartbeat)
                {
                    Enqueue(Heartbeat(cursor));
                    lastSent = Wall.GetTimestamp();
                    silent = TimeSpan.Zero;
                }

                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var poll = Task.Delay(options.PollInterval < heartbeat - silent ? options.PollInterval : heartbeat - silent, Wall, waiting.Token);
                var woken = await Task.WhenAny(committed, poll, pump);
                await waiting.CancelAsync();
                if (woken == pump)
                {
                    // The writer stopped (the subscriber went away or a write failed): surface why.
                    await pump;
                    return;
                }
            }
        }
        // Disposed services: the host tore down its container while this stream was between the check and a read.
        // Once the host is stopping, that is the reason whatever else happened: the transport may already have
        // cancelled the call too (connections closing), and a subscriber must still be told to resume elsewhere.
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
            && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The pump ends at its next message; wait (briefly: a stalled subscriber must not hold the stop) for the
            // write under way, so the cursor below counts it and the stream is not reset under it.
            await pump.WaitAsync(StopWriteGrace, Wall).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw new ServerStoppingException(Volatile.Read(ref delivered));
        }
        finally
        {
            buffer.Writer.TryComplete();
            await stop.CancelAsync();
            // Any other end (overflow, a failed read) with a write still stalled: reset the stream rather than keep it.
            await abortWrite.CancelAsync();
            // A stalled write may never finish; observe its outcome without waiting for it.
            _ = pump.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
    }

    private static async Task PumpAsync(ChannelReader<WatchChangesResponse> reader, IServerStreamWriter<WatchChangesResponse> writer, Action<long> delivered, CancellationToken stopping, CancellationToken abortWrite)
    {
        await foreach (var message in reader.ReadAllAsync(stopping))
        {
            // ReadAllAsync hands out buffered messages without looking at its token again.
            stopping.ThrowIfCancellationRequested();
            await writer.WriteAsync(message, abortWrite);
            delivered(message.Change?.Sequence ?? message.Heartbeat.Cursor);
        }
    }

    private (HashSet<string>? PatientIds, HashSet<ChangeKind>? Kinds, TimeSpan Heartbeat) Validate(WatchChangesRequest request)
    {
        var v = new RequestValidator();
        if (request.Patients.Count > 1000)
        {
            v.Add("patients", "must name at most 1000 patients");
        }

        var patientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Patients.Count; i++)
        {
            if (ResourceNames.Matches(request.Patients[i], "patients/{patient}"))
            {
                patientIds.Add(ResourceNames.ParsePatient("patients", request.Patients[i]));
            }
            else
            {
                v.Add($"patients[{i}]", "must have the form patients/{patient}");
            }
        }

        for (var i = 0; i < request.Kinds.Count; i++)
        {
            v.DefinedEnum($"kinds[{i}]", request.Kinds[i]);
        }

        if (request.AfterSequence < 0)
        {
            v.Add("after_sequence", "must not be negative");
        }

        var heartbeat = options.DefaultHeartbeat;
        if (request.HeartbeatInterval is { } interval)
        {
            heartbeat = TimeSpan.FromSeconds(interval.Seconds) + TimeSpan.FromTicks(interval.Nanos / 100);
            if (heartbeat < MinHeartbeat || heartbeat > MaxHeartbeat)
            {
                v.Add("heartbeat_interval", "must be between 1 second and 5 minutes");
            }
        }

        v.ThrowIfInvalid();
        return (patientIds.Count == 0 ? null : patientIds, request.Kinds.Count == 0 ? null : [.. request.Kinds], heartbeat);
    }

    private async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
    }

    private async Task<List<AuditEvent>> ReadAsync(long after, HashSet<string>? patientIds, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var query = db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after);
        if (patientIds is not null)
        {
            query = query.Where(e => e.PatientId != null && patientIds.Contains(e.PatientId));
        }

        return await query.OrderBy(e => e.Sequence).Take(options.BatchSize).ToListAsync(cancellationToken);
    }

    private WatchChangesResponse Heartbeat(long cursor) =>
        new() { Heartbeat = new Heartbeat { Cursor = cursor, Time = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) } };

    private static Change ToChange(AuditEvent e, ChangeKind kind) => new()
    {
        Sequence = e.Sequence,
        Kind = kind,
        Patient = ResourceNames.Patient(e.PatientId!),
        Resource = e.Resource,
        Action = e.Action,
        FromState = e.FromState ?? string.Empty,
        ToState = e.ToState ?? string.Empty,
        Trigger = e.Trigger ?? string.Empty,
        ChangeTime = Timestamp.FromDateTime(DateTime.SpecifyKind(e.EventTime, DateTimeKind.Utc)),
        AuditEvent = ResourceNames.AuditEvent(e.Sequence),
    };
}
