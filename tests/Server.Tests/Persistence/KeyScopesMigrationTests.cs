using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>The KeyScopes migration gives keys made before scopes existed the reach they had (docs/security.md "Existing keys").</summary>
public sealed class KeyScopesMigrationTests
{
    [Fact]
    public async Task KeyScopesMigration_ExistingKeys_TrustWideEprKeysMayActForNamedUserAuditorsPseudonymised()
    {
        var directory = Directory.CreateTempSubdirectory("mharights-migration-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "m.db")};Pooling=false").Options;
            await using (var db = new SqliteMhaRightsDbContext(options))
            {
                var migrations = db.Database.GetMigrations().ToList();
                var keyScopes = migrations.FindIndex(m => m.EndsWith("_KeyScopes", StringComparison.Ordinal));
                Assert.True(keyScopes > 0, "no KeyScopes migration");
                var migrator = db.GetService<IMigrator>();
                await migrator.MigrateAsync(migrations[keyScopes - 1]);
                foreach (var (id, role) in new[] { ("k1", Roles.EprIntegration), ("k2", Roles.Auditor), ("k3", Roles.Clinician) })
                {
                    await db.Database.ExecuteSqlRawAsync(
                        "INSERT INTO \"ApiKeys\" (\"Id\", \"DisplayName\", \"Role\", \"Prefix\", \"Salt\", \"SecretHash\", \"ExpireTime\", \"CreatedByPrincipal\", \"CreatedByRole\", \"CreateTime\", \"Version\") "
                        + "VALUES ({0}, 'old key', {1}, {0}, 'aa', 'bb', '2099-01-01 00:00:00', 'system', 'system', '2026-01-01 00:00:00', 0)",
                        id, role);
                }

                await migrator.MigrateAsync();
            }

            await using (var db = new SqliteMhaRightsDbContext(options))
            {
                var keys = await db.ApiKeys.AsNoTracking().ToDictionaryAsync(k => k.Role);

                Assert.All(keys.Values, k => Assert.True(k.TrustWide));
                Assert.All(keys.Values, k => Assert.Empty(k.Sites));
                Assert.True(keys[Roles.EprIntegration].MayActForNamedUser);
                Assert.False(keys[Roles.Clinician].MayActForNamedUser);
                Assert.False(keys[Roles.Auditor].MayActForNamedUser);
                Assert.False(keys[Roles.Auditor].IdentifiableAccess);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
