using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MhaRights.Server.Persistence;

// Used only by `dotnet ef migrations add` (see docs/database.md); the running server configures contexts in
// PersistenceSetup. Neither connection string is opened when scaffolding.

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
