namespace MhaRights.Server.Persistence;

/// <summary>
/// A row with an application-managed concurrency token. SQLite has no rowversion, so the version is bumped in
/// code on every save (MhaRightsDbContext.SaveChangesAsync) and checked by EF as a concurrency token on both
/// providers. The API's etag encodes it.
/// </summary>
public interface IVersioned
{
    long Version { get; set; }
}
