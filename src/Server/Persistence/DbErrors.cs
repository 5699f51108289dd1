using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MhaRights.Server.Persistence;

/// <summary>Recognises provider errors the service handles on purpose.</summary>
internal static class DbErrors
{
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException switch
        {
            // SQLITE_CONSTRAINT_PRIMARYKEY (1555) / SQLITE_CONSTRAINT_UNIQUE (2067).
            SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
            SqlException sql => sql.Number is 2627 or 2601,
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
            _ => false,
        };

    /// <summary>
    /// The server database aborted this transaction because it collided with another one (deadlock victim,
    /// serialization failure): nothing of it was written, and the caller may read again and retry.
    /// </summary>
    public static bool IsWriteConflict(Exception exception) =>
        (exception is DbUpdateException { InnerException: { } inner } ? inner : exception) switch
        {
            PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
            // 1205: deadlock victim; 51000: the audit tail lock was not granted (SqlServerMhaRightsDbContext).
            SqlException sql => sql.Number is 1205 or 51000,
            _ => false,
        };
}
