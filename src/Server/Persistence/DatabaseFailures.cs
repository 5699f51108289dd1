using MhaRights.Server.Common;
using Microsoft.Data.Sqlite;

namespace MhaRights.Server.Persistence;

/// <summary>
/// Recognises the failures that mean "the database cannot take writes right now" — the write lock held elsewhere
/// past Database:WriteLockTimeout, a read-only file or folder, a full disk, an I/O error — so the caller gets
/// UNAVAILABLE with a reason it can act on (retry later / tell operations) instead of INTERNAL, and health reports
/// NOT_SERVING meanwhile (WriteHealth).
/// </summary>
public static class DatabaseFailures
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>The UNAVAILABLE exception for <paramref name="exception"/> (or one it wraps); null if it is not one.</summary>
    public static DatabaseUnavailableException? Unavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException already:
                    return already;
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode switch
                    {
                        SqliteBusy or SqliteLocked => Busy(sqlite),
                        SqliteReadOnly => new DatabaseUnavailableException(ErrorReasons.DatabaseReadOnly, "The database is read-only (file or folder permissions, or a read-only disk); the write was not made.", sqlite),
                        SqliteFull => new DatabaseUnavailableException(ErrorReasons.DatabaseFull, "The disk holding the database is full; the write was not made.", sqlite),
                        SqliteIoError or SqliteCantOpen => new DatabaseUnavailableException(ErrorReasons.DatabaseIoError, "The database file could not be written (I/O error); the write was not made.", sqlite),
                        _ => null,
                    };
            }
        }

        return null;
    }

    public static DatabaseUnavailableException Busy(Exception? cause) =>
        new(ErrorReasons.DatabaseBusy, "The database is locked by another process or writer for longer than Database:WriteLockTimeout; the write was not made. Retry later.", cause);
}

/// <summary>
/// Whether writes are currently failing for a reason retrying now will not fix (read-only, full, I/O error), for
/// the health check. A failure counts for <see cref="Window"/> after it happened unless a write succeeded since,
/// so a server withdrawn from traffic is tried again rather than kept out for ever.
/// </summary>
public sealed class WriteHealth(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly object _lock = new();
    private (string Reason, string Message, long Timestamp)? _failure;

    /// <summary>The current write problem, or null when writes are believed to work.</summary>
    public string? Problem
    {
        get
        {
            lock (_lock)
            {
                return _failure is { } f && time.GetElapsedTime(f.Timestamp) < Window ? $"{f.Reason}: {f.Message}" : null;
            }
        }
    }

    public void Failed(DatabaseUnavailableException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Reason == ErrorReasons.DatabaseBusy)
        {
            // Busy is another writer's doing and passes by itself; it does not make this server unfit to serve.
            return;
        }

        lock (_lock)
        {
            _failure = (failure.Reason, failure.Message, time.GetTimestamp());
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _failure = null;
        }
    }
}
