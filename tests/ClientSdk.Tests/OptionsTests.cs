using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>Options are validated when the client is created, and copied: the client never changes afterwards.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Options_Defaults_MatchDocumentation()
    {
        var options = new MhaRightsClientOptions();

        Assert.Equal(TimeSpan.FromSeconds(30), options.DefaultDeadline);
        Assert.Equal(3, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(0.8), options.Retry.Delay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Retry.MaxDelay);
        Assert.True(options.Retry.RetryReadsOnDeadlineExceeded);
        Assert.Equal(16 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.False(options.AllowUnencryptedCredentials);
    }

    [Theory]
    [InlineData("no address")]
    [InlineData("relative address")]
    [InlineData("ftp address")]
    [InlineData("zero deadline")]
    [InlineData("negative retries")]
    [InlineData("too many retries")]
    [InlineData("max delay below delay")]
    public void Create_InvalidOptions_ArgumentException(string problem)
    {
        var options = new MhaRightsClientOptions { Address = new Uri("https://mharights.example-trust.nhs.uk") };
        switch (problem)
        {
            case "no address": options.Address = null; break;
            case "relative address": options.Address = new Uri("/mharights", UriKind.Relative); break;
            case "ftp address": options.Address = new Uri("ftp://mharights.example-trust.nhs.uk"); break;
            case "zero deadline": options.DefaultDeadline = TimeSpan.Zero; break;
            case "negative retries": options.Retry.MaxRetries = -1; break;
            case "too many retries": options.Retry.MaxRetries = 11; break;
            case "max delay below delay": options.Retry.MaxDelay = TimeSpan.FromMilliseconds(1); break;
        }

        Assert.Throws<ArgumentException>(() => new MhaRightsClient(options));
    }

    [Fact]
    public async Task Options_ChangedAfterClientCreated_ClientKeepsItsSettings()
    {
        await using var server = await InProcessServer.StartAsync();
        var secret = await server.CreateApiKeyAsync(InProcessServer.MhaOffice);
        MhaRightsClientOptions? options = null;
        var client = server.CreateClient(MhaRightsCredential.FromApiKey(secret), o => options = o);

        options!.Credential = MhaRightsCredential.FromApiKey("k9.changed");
        options.Retry.MaxRetries = 0;
        server.Probe.FailBeforeHandling("WorkflowService/GetWorkflowGraph");
        await client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid });

        var calls = server.Probe.CallsTo("WorkflowService/GetWorkflowGraph");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal($"ApiKey {secret}", c.Authorization));
    }

    [Fact]
    public async Task OneClient_ManyConcurrentCalls_AllSucceed()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();

        var graphs = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Dot })));

        Assert.All(graphs, g => Assert.False(string.IsNullOrEmpty(g.Text)));
    }
}
