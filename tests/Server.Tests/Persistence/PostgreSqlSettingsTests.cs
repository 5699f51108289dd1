using MhaRights.Server.Persistence;
using Npgsql;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>The PostgreSQL connection string the service uses: Npgsql's automatic preparation on unless the operator chose.</summary>
public sealed class PostgreSqlSettingsTests
{
    [Fact]
    public void ConnectionString_AutoPrepareNotSet_PreparesRepeatedStatements()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=mharights;Username=mha" };

        var builder = new NpgsqlConnectionStringBuilder(PersistenceSetup.PostgreSqlConnectionString(options));

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.Equal("mharights", builder.Database);
        Assert.Equal("mha", builder.Username);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=mharights;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;Database=mharights;MaxAutoPrepare=10", 10)]
    public void ConnectionString_OperatorSetAutoPrepare_Kept(string connectionString, int expected)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString };

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PersistenceSetup.PostgreSqlConnectionString(options)).MaxAutoPrepare);
    }
}
