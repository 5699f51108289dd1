using System.Runtime.CompilerServices;
using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// The change stream (mharights.v1.ChangeService): be told when a duty falls overdue, a re-attempt or
/// re-explanation is due, an episode ends or lapses, an adjustment is confirmed... instead of polling.
/// Get it from <see cref="MhaRightsClient.Changes"/>.
/// </summary>
/// <remarks>
/// The enumeration resumes by itself, from the last cursor it saw (a change's <see cref="Change.Sequence"/> or a
/// heartbeat's cursor), when the server restarts, the connection drops or the server disconnects a slow reader; no
/// change is skipped or repeated. Store <see cref="Change.Sequence"/> to resume after a restart of your own process.
/// </remarks>
public class ChangesClient
{
    private const string Operation = "ChangeService.WatchChanges";

    /// <summary>Consecutive failed resumes (with no message in between) after which the enumeration throws.</summary>
    private const int MaxConsecutiveResumes = 10;

    private readonly CallPipeline _pipeline;
    private readonly ChangeService.ChangeServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="ChangesClient"/> class for mocking.</summary>
    protected ChangesClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal ChangesClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new ChangeService.ChangeServiceClient(invoker);
    }

    /// <summary>
    /// Streams the changes matching <paramref name="request"/>, oldest first, until cancelled. Heartbeats are
    /// consumed here (they move the resume cursor on); only changes are returned.
    /// </summary>
    /// <param name="request">Patients, kinds, the cursor to resume after (0 = from now) and the heartbeat interval.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The changes, as they happen.</returns>
    /// <exception cref="MhaRightsException">The request was refused, or the server stayed unreachable.</exception>
    public virtual IAsyncEnumerable<Change> WatchChangesAsync(WatchChangesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WatchAsync(request.Clone(), cancellationToken);
    }

    /// <summary>Streams the changes of <paramref name="patients"/> (all patients when empty) of the given kinds (all when empty).</summary>
    /// <param name="patients">Patient names, <c>patients/{patient}</c>; null or empty for every patient.</param>
    /// <param name="kinds">Kinds of change; null or empty for every kind.</param>
    /// <param name="afterSequence">Resume after this cursor; 0 starts from now.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The changes, as they happen.</returns>
    /// <exception cref="MhaRightsException">The request was refused, or the server stayed unreachable.</exception>
    public virtual IAsyncEnumerable<Change> WatchChangesAsync(IEnumerable<string>? patients, IEnumerable<ChangeKind>? kinds = null, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        var request = new WatchChangesRequest { AfterSequence = afterSequence };
        request.Patients.AddRange(patients ?? []);
        request.Kinds.AddRange(kinds ?? []);
        return WatchAsync(request, cancellationToken);
    }

    private async IAsyncEnumerable<Change> WatchAsync(WatchChangesRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = request.AfterSequence;
        var failures = 0;
        while (true)
        {
            request.AfterSequence = cursor;
            using var call = _grpc.WatchChanges(request, await _pipeline.StreamOptionsAsync(cancellationToken).ConfigureAwait(false));
            while (true)
            {
                var next = await NextAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                failures = 0;
                if (next.Change is { } change)
                {
                    cursor = change.Sequence;
                    yield return change;
                }
                else if (next.Heartbeat is { } heartbeat && heartbeat.Cursor > cursor)
                {
                    cursor = heartbeat.Cursor;
                }
            }

            // The stream ended or broke: resume after the cursor, backing off while the server stays away.
            if (++failures > MaxConsecutiveResumes)
            {
                throw _pipeline.StreamFailed(Operation, new RpcException(new Status(StatusCode.Unavailable, $"The change stream could not be resumed after {MaxConsecutiveResumes} attempts.")));
            }

            await Task.Delay(_pipeline.ResumeDelay(failures), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The next message, or null when the stream ended or broke in a way that resuming repairs.</summary>
    private async Task<WatchChangesResponse?> NextAsync(IAsyncStreamReader<WatchChangesResponse> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNext(cancellationToken).ConfigureAwait(false) ? stream.Current : null;
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{Operation} was cancelled by the caller.", ex, cancellationToken);
        }
        catch (RpcException ex) when (IsResumable(ex.StatusCode))
        {
            return null;
        }
        catch (RpcException ex)
        {
            throw _pipeline.StreamFailed(Operation, ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // UNAVAILABLE: the server stopped or could not be reached; RESOURCE_EXHAUSTED: this reader fell behind;
    // INTERNAL/CANCELLED/ABORTED (not by the caller): the transport broke mid-stream.
    private static bool IsResumable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Aborted;
}
