using System.Globalization;
using System.Text;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Audit;

/// <summary>A signed statement "the chain had this head at this time". Its text form is one line of the log.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTime Time, string Signature)
{
    public string ToLine() => string.Join(' ', Sequence.ToString(CultureInfo.InvariantCulture), Hash, Time.ToString("O", CultureInfo.InvariantCulture), Signature);

    /// <summary>Parses a line of the checkpoint log; false for anything that is not one (counted as damage).</summary>
    public static bool TryParse(string? line, out AuditCheckpoint checkpoint)
    {
        checkpoint = null!;
        var parts = line?.Trim().Split(' ');
        if (parts is not { Length: 4 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !DateTime.TryParse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            || time.Kind != DateTimeKind.Utc)
        {
            return false;
        }

        checkpoint = new AuditCheckpoint(sequence, parts[1], time, parts[3]);
        return true;
    }
}

/// <summary>
/// Writes signed checkpoints of the audit chain head to an append-only file outside the database: after every
/// <see cref="AuditOptions.CheckpointEvery"/> events (signalled after commit, written in the background so the
/// audit append stays cheap), on shutdown and on request (CreateAuditCheckpoint). A checkpoint is written only for
/// a head that extends the previous checkpoint by verified events, so it never signs damage. With checkpoints,
/// removing the newest events or all of them is detected (AuditChain).
/// </summary>
public sealed partial class AuditCheckpoints(
    AuditOptions options,
    DatabaseOptions database,
    AuditChainKey key,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<AuditCheckpoints> logger) : BackgroundService
{
    public const string DefaultFileName = "audit-checkpoints.log";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _due = new(0, 1);

    public string FilePath { get; } = options.CheckpointFile is { Length: > 0 } file
        ? Path.GetFullPath(file)
        : Path.Combine(DataFolder.Ensure(database.DataDirectory), DefaultFileName);

    public int Every => Math.Max(1, options.CheckpointEvery);

    /// <summary>Every line of the log: parsed checkpoints, and the raw text of lines that are not one.</summary>
    public (IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyList<string> Unreadable) ReadAll()
    {
        var checkpoints = new List<AuditCheckpoint>();
        var unreadable = new List<string>();
        if (!File.Exists(FilePath))
        {
            return (checkpoints, unreadable);
        }

        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (AuditCheckpoint.TryParse(line, out var checkpoint))
            {
                checkpoints.Add(checkpoint);
            }
            else
            {
                unreadable.Add(line);
            }
        }

        return (checkpoints, unreadable);
    }

    /// <summary>Asks the background writer for a checkpoint (called after a commit crossed a multiple of Every).</summary>
    public void Request()
    {
        try
        {
            _due.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
    }

    /// <summary>
    /// Checkpoints the committed head if it moved on; returns the newest checkpoint (null for an empty chain).
    /// Refuses (FAILED_PRECONDITION) when the events since the last checkpoint do not verify.
    /// </summary>
    public async Task<AuditCheckpoint?> WriteAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
            var last = ReadAll().Checkpoints.Where(c => key.Verify(c.Sequence, c.Hash, c.Time, c.Signature)).MaxBy(c => c.Sequence);
            var walk = await AuditChain.WalkAsync(db, key, last?.Sequence ?? 0, last?.Hash ?? AuditLog.GenesisHash, null, cancellationToken);
            if (!walk.Result.Valid || (last is not null && walk.StartFound is false))
            {
                var problem = walk.Result.Problem ?? $"the event at the last checkpoint ({last!.Sequence}) is missing or changed";
                LogRefused(logger, problem);
                throw new PreconditionFailedException("audit_chain", "No checkpoint was written: the audit chain does not verify since the last checkpoint: " + problem);
            }

            if (walk.LastSequence == 0 || walk.LastSequence == last?.Sequence)
            {
                return last;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var checkpoint = new AuditCheckpoint(walk.LastSequence, walk.LastHash, now, key.Sign(walk.LastSequence, walk.LastHash, now));
            await using (var stream = DataFolder.OpenAppend(FilePath))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(checkpoint.ToLine() + "\n"), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            return checkpoint;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _due.WaitAsync(stoppingToken);
            await TryWriteAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The head at shutdown, so removing the events written since the last periodic checkpoint is detected too.
        try
        {
            await TryWriteAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out (a long walk of events since the last checkpoint): stop cleanly;
            // the next start checkpoints from the last signed head, so nothing is lost but this one line.
            LogFailed(logger, "the server's shutdown timeout ran out first");
        }
    }

    public override void Dispose()
    {
        _writeLock.Dispose();
        _due.Dispose();
        base.Dispose();
    }

    private async Task TryWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never take the server down for a checkpoint; the next one (or verification) reports the problem.
            LogFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit checkpoint refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit checkpoint not written: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
