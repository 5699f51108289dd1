using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MhaRights.Client.Tests;

/// <summary>Options read from IConfiguration: every documented key, clear errors, and key rotation on reload.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task FromConfiguration_EveryKey_Read()
    {
        var options = MhaRightsClientOptions.FromConfiguration(Section(new()
        {
            ["MhaRights:Address"] = "https://mharights.example-trust.nhs.uk",
            ["MhaRights:ApiKey"] = "k1.secret",
            ["MhaRights:DefaultDeadline"] = "00:00:10",
            ["MhaRights:MaxReceiveMessageSize"] = "1048576",
            ["MhaRights:AllowUnencryptedCredentials"] = "true",
            ["MhaRights:Retry:MaxRetries"] = "5",
            ["MhaRights:Retry:Delay"] = "00:00:01",
            ["MhaRights:Retry:MaxDelay"] = "00:00:30",
            ["MhaRights:Retry:RetryReadsOnDeadlineExceeded"] = "false",
        }));

        Assert.Equal(new Uri("https://mharights.example-trust.nhs.uk"), options.Address);
        Assert.Equal("ApiKey k1.secret", await options.Credential!.GetAuthorizationValueAsync(default));
        Assert.Equal(TimeSpan.FromSeconds(10), options.DefaultDeadline);
        Assert.Equal(1048576, options.MaxReceiveMessageSize);
        Assert.True(options.AllowUnencryptedCredentials);
        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.MaxDelay);
        Assert.False(options.Retry.RetryReadsOnDeadlineExceeded);
    }

    [Fact]
    public void FromConfiguration_EmptySection_KeepsDefaults()
    {
        var options = MhaRightsClientOptions.FromConfiguration(Section([]));
        var defaults = new MhaRightsClientOptions();

        Assert.Null(options.Address);
        Assert.Null(options.Credential);
        Assert.Equal(defaults.DefaultDeadline, options.DefaultDeadline);
        Assert.Equal(defaults.Retry.MaxRetries, options.Retry.MaxRetries);
    }

    [Fact]
    public async Task FromConfiguration_ApiKeyFileAndNoDeadline_ReadsKeyFromFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "k2.from-file\n");

            var options = MhaRightsClientOptions.FromConfiguration(Section(new() { ["MhaRights:ApiKeyFile"] = file, ["MhaRights:DefaultDeadline"] = "none" }));

            Assert.Equal("ApiKey k2.from-file", await options.Credential!.GetAuthorizationValueAsync(default));
            Assert.Null(options.DefaultDeadline);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("MhaRights:DefaultDeadline", "ten seconds", "MhaRights:DefaultDeadline")]
    [InlineData("MhaRights:Retry:MaxRetries", "many", "MhaRights:Retry:MaxRetries")]
    [InlineData("MhaRights:Address", "not a uri", "MhaRights:Address")]
    public void FromConfiguration_BadValue_NamesTheKeyNotTheValue(string key, string value, string expectedKey)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MhaRightsClientOptions.FromConfiguration(Section(new() { [key] = value })));

        Assert.Contains(expectedKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_TwoCredentials_Refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MhaRightsClientOptions.FromConfiguration(Section(new() { ["MhaRights:ApiKey"] = "a", ["MhaRights:BearerToken"] = "b" })));

        Assert.Contains("only one credential", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMhaRightsClient_ConfigurationSectionReloaded_NextClientUsesRotatedKey()
    {
        await using var server = await InProcessServer.StartAsync();
        var first = await server.CreateApiKeyAsync(InProcessServer.EprIntegration);
        var second = await server.CreateApiKeyAsync(InProcessServer.EprIntegration);
        using var handler = server.CreateHandler();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MhaRights:Address"] = "http://localhost",
            ["MhaRights:ApiKey"] = first,
            ["MhaRights:DefaultDeadline"] = "00:00:20",
        }).Build();
        var services = new ServiceCollection();
        services.AddMhaRightsClient(configuration.GetSection("MhaRights"), options => options.HttpHandler = handler);
        await using var provider = services.BuildServiceProvider();
        var request = new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid };

        await provider.GetRequiredService<MhaRightsClient>().Workflows.GetWorkflowGraphAsync(request);
        configuration["MhaRights:ApiKey"] = second;
        configuration.Reload();
        await provider.GetRequiredService<MhaRightsClient>().Workflows.GetWorkflowGraphAsync(request);

        var calls = server.Probe.CallsTo("WorkflowService/GetWorkflowGraph");
        Assert.Equal([$"ApiKey {first}", $"ApiKey {second}"], calls.Select(c => c.Authorization));
        Assert.Equal(TimeSpan.FromSeconds(20), provider.GetRequiredService<IOptionsMonitor<MhaRightsClientOptions>>().Get(nameof(MhaRightsClient)).DefaultDeadline);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("MhaRights");
}
