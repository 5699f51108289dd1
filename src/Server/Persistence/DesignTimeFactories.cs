using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MhaRights.Server.Persistence;

// Used only by `dotnet ef migrations add` (add-migration.sh, docs/databases.md); the running server configures contexts in
// PersistenceSetup. No connection string is opened when scaffolding.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMhaRightsDbContext>
{
    public SqliteMhaRightsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMhaRightsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerMhaRightsDbContext>
{
    public SqlServerMhaRightsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerMhaRightsDbContext>().UseSqlServer("Server=localhost;Database=MhaRights;Integrated Security=true;TrustServerCertificate=true").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlMhaRightsDbContext>
{
    public PostgreSqlMhaRightsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlMhaRightsDbContext>().UseNpgsql("Host=localhost;Database=mharights").Options);
}
