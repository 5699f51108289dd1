using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// SQL Server is the production target: its model, create script and migrations are built here without a server
/// (EF only needs the provider to generate SQL).
/// </summary>
public sealed class SqlServerModelTests
{
    private static SqlServerMhaRightsDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerMhaRightsDbContext>()
            .UseSqlServer("Server=unused.invalid;Database=MhaRights;Integrated Security=true")
            .Options);

    [Fact]
    public void CreateScript_SqlServerModel_ContainsKeyTablesAndConstraints()
    {
        using var db = CreateContext();
        var script = db.Database.GenerateCreateScript();

        foreach (var table in new[] { "Patients", "LegalStatusEpisodes", "RightsDuties", "ExplanationAttempts", "ScheduledTriggers", "AuditEvents", "IdempotencyRecords" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY ([Caller], [Method], [RequestId])", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Patients_LocalId]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Patients_NhsNumber] ON [Patients] ([NhsNumber]) WHERE [NhsNumber] IS NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT [FK_RightsDuties_LegalStatusEpisodes_EpisodeId] FOREIGN KEY", script, StringComparison.Ordinal);
        Assert.Contains("[Sequence] bigint NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("datetime2", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_SqlServer_HaveOwnMigrationsMatchingTheModel()
    {
        using var db = CreateContext();
        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        Assert.EndsWith("_Initial", migrations[0], StringComparison.Ordinal);
        Assert.False(db.Database.HasPendingModelChanges(), "the SQL Server model changed without a new migration (dotnet ef migrations add ... --context SqlServerMhaRightsDbContext)");

        var script = db.GetService<IMigrator>().GenerateScript();
        Assert.Contains("CREATE TABLE [RightsDuties]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_Sqlite_MatchTheModel()
    {
        using var db = new SqliteMhaRightsDbContext(new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "the SQLite model changed without a new migration (dotnet ef migrations add ... --context SqliteMhaRightsDbContext)");
    }
}
