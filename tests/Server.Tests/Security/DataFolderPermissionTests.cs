using MhaRights.Server.Audit;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using MhaRights.Server.Tests.Persistence;

namespace MhaRights.Server.Tests.Security;

// SQLite only: the database, -wal and -shm files live in the data folder only on the embedded provider.
/// <summary>Another local account can read nothing in the data folder (issue 15). Unix only.</summary>
public sealed class DataFolderPermissionTests
{
    [SqliteFact]
    public async Task FirstStart_DefaultDataFolder_Folder0700AndDatabaseWalShmAndKeyFiles0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = Path.Combine(Directory.CreateTempSubdirectory("mharights-perm-").FullName, "data");
        await using (var app = await TestApp.StartAsync(null, "--Database:ConnectionString=", $"--Database:DataDirectory={data}", "--Audit:ChainKey="))
        {
            // A write through the real stack: the bootstrap key goes to the database (WAL) and to a file.
            Assert.NotNull(await app.Services.EnsureBootstrapAdminKeyAsync());
            _ = app.Services.GetService(typeof(AuditChainKey));

            Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(data));
            var db = Path.Combine(data, "mharights.db");
            Assert.True(File.Exists(db + "-wal"), "expected the WAL file while the server runs");
            foreach (var file in new[] { db, db + "-wal", db + "-shm", Path.Combine(data, BootstrapAdminKey.FileName), Path.Combine(data, AuditChainKey.DefaultFileName) })
            {
                Assert.True(File.Exists(file), file);
                Assert.Equal((file, DataFolder.FileMode), (file, File.GetUnixFileMode(file)));
            }
        }

        Assert.Equal(DataFolder.FileMode, File.GetUnixFileMode(Path.Combine(data, AuditCheckpoints.DefaultFileName)));
    }

    [SqliteFact]
    public async Task Start_ExistingDatabaseWithLooseModes_Tightened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = Directory.CreateTempSubdirectory("mharights-perm-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        await using (var first = await TestApp.StartAsync(null, "--Database:ConnectionString=", $"--Database:DataDirectory={data}"))
        {
        }

        var db = Path.Combine(data, "mharights.db");
        File.SetUnixFileMode(db, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        await using var app = await TestApp.StartAsync(null, "--Database:ConnectionString=", $"--Database:DataDirectory={data}");

        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(data));
        Assert.Equal(DataFolder.FileMode, File.GetUnixFileMode(db));
    }
}
