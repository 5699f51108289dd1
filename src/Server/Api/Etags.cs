using MhaRights.Server.Common;

namespace MhaRights.Server.Api;

/// <summary>
/// AIP-154 etags. The etag encodes the row's application-managed version (the EF concurrency token), so the
/// same check works on SQLite and SQL Server.
/// </summary>
public static class Etags
{
    public static string Format(long version) => $"\"{version}\"";

    /// <summary>Throws ABORTED when the caller sent an etag that is not the current one; empty skips the check.</summary>
    public static void Check(string resourceName, string? requestEtag, long currentVersion)
    {
        if (string.IsNullOrEmpty(requestEtag))
        {
            return;
        }

        var current = Format(currentVersion);
        if (!string.Equals(requestEtag, current, StringComparison.Ordinal))
        {
            if (!IsWellFormed(requestEtag))
            {
                throw new ValidationFailedException("etag", "must be an etag returned by the server, e.g. \"3\"");
            }

            throw new EtagMismatchException(resourceName, current);
        }
    }

    private static bool IsWellFormed(string etag) =>
        etag.Length >= 3 && etag[0] == '"' && etag[^1] == '"' && long.TryParse(etag.AsSpan(1, etag.Length - 2), out _);
}
