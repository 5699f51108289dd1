using System.Text;
using MhaRights.Contracts.V1;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Security;

/// <summary>Idempotency records keep no secret, answer only the caller that made them and expire (issue 15).</summary>
public sealed class IdempotencySecurityTests
{
    [Fact]
    public async Task CreateApiKey_WithRequestId_SecretNeverStoredAndReplayCarriesOnlyMetadata()
    {
        await using var app = await TestApp.StartAsync();
        var keys = new ApiKeyService.ApiKeyServiceClient(app.ChannelFor(Roles.Admin));
        var request = NewKeyRequest(app, "req-key-1");

        var first = await keys.CreateApiKeyAsync(request);
        var replay = await keys.CreateApiKeyAsync(request);

        Assert.False(string.IsNullOrEmpty(first.Secret));
        Assert.Empty(first.SecretNotice);
        var stored = Assert.Single(await StoredResponsesAsync(app, "CreateApiKey"));
        Assert.DoesNotContain(first.Secret.Split('.')[2], Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Empty(CreateApiKeyResponse.Parser.ParseFrom(stored).Secret);
        Assert.Empty(replay.Secret);
        Assert.Contains("shown only once", replay.SecretNotice, StringComparison.Ordinal);
        Assert.Equal(first.ApiKey.Name, replay.ApiKey.Name);
        Assert.Equal(1, await CountKeysNamedAsync(app, request.ApiKey.DisplayName));
    }

    [Fact]
    public async Task RequestId_ReusedByAnotherCaller_SeparateExecutionNotTheFirstCallersResponse()
    {
        await using var app = await TestApp.StartAsync();
        var epr = new PatientService.PatientServiceClient(app.ChannelFor(Roles.EprIntegration));
        var office = new PatientService.PatientServiceClient(app.ChannelFor(Roles.MhaOffice));

        var mine = await epr.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-A1" }, RequestId = "shared-id" });
        var theirs = await office.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-B2" }, RequestId = "shared-id" });
        var mineAgain = await epr.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-A1" }, RequestId = "shared-id" });

        Assert.NotEqual(mine.Name, theirs.Name);
        Assert.Equal("RIO-B2", theirs.LocalId);
        Assert.Equal(mine.Name, mineAgain.Name);
        Assert.Equal(2, (await StoredResponsesAsync(app, "CreatePatient")).Count);
    }

    [Fact]
    public async Task IdempotencyRecord_OlderThanRetention_SweptAndTheIdIsANewRequest()
    {
        await using var app = await TestApp.StartAsync();
        var request = new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-R1" }, RequestId = "retained" };
        var first = await app.Patients.CreatePatientAsync(request);
        var sweeper = app.Services.GetRequiredService<IdempotencyRetention>();

        app.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(first.Name, (await app.Patients.CreatePatientAsync(request)).Name);

        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await sweeper.SweepAsync());
        Assert.Empty(await StoredResponsesAsync(app, "CreatePatient"));
        var again = await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-R2" }, RequestId = "retained" });
        Assert.NotEqual(first.Name, again.Name);
    }

    [Fact]
    public async Task IdempotencyRecord_ExpiredButNotYetSwept_TreatedAsExpired()
    {
        await using var app = await TestApp.StartAsync(null, "--Idempotency:Retention=01:00:00");
        var request = new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-E1" }, RequestId = "short-lived" };
        var first = await app.Patients.CreatePatientAsync(request);

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        // Same id, different request: refused as a reused id while the record lives, a new request once expired.
        var second = await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-E2" }, RequestId = "short-lived" });

        Assert.NotEqual(first.Name, second.Name);
        Assert.Single(await StoredResponsesAsync(app, "CreatePatient"));
    }

    private static CreateApiKeyRequest NewKeyRequest(TestApp app, string requestId) => new()
    {
        ApiKey = new Contracts.V1.ApiKey
        {
            DisplayName = "EPR feed " + requestId,
            Role = Roles.EprIntegration,
            Sites = { "RX4" },
            ExpireTime = Scenario.At(app.Clock.GetUtcNow().AddDays(30)),
        },
        RequestId = requestId,
    };

    // Raw reads on the active provider (SQLite or PostgreSQL): quoted identifiers and @ parameters suit both.
    private static async Task<List<byte[]>> StoredResponsesAsync(TestApp app, string method)
    {
        await using var connection = await TestDatabase.OpenAsync(app.ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Response\" FROM \"IdempotencyRecords\" WHERE \"Method\" = @m";
        AddParameter(command, "m", method);
        var result = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add((byte[])reader[0]);
        }

        return result;
    }

    private static async Task<long> CountKeysNamedAsync(TestApp app, string displayName)
    {
        await using var connection = await TestDatabase.OpenAsync(app.ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"ApiKeys\" WHERE \"DisplayName\" = @n";
        AddParameter(command, "n", displayName);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
