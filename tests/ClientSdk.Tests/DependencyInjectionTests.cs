using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Client.Tests;

/// <summary>services.AddMhaRightsClient(...) on Grpc.Net.ClientFactory gives the same behaviour as a constructed client.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddMhaRightsClient_ResolvedClient_CallsServerWithCredentialAndRetries()
    {
        await using var server = await InProcessServer.StartAsync();
        var secret = await server.CreateApiKeyAsync(InProcessServer.EprIntegration);
        using var handler = server.CreateHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMhaRightsClient(options =>
        {
            options.Address = new Uri("http://localhost");
            options.Credential = MhaRightsCredential.FromApiKey(secret);
            options.HttpHandler = handler;
            options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        });
        await using var provider = services.BuildServiceProvider();
        server.Probe.FailBeforeHandling("WorkflowService/GetWorkflowGraph");

        var client = provider.GetRequiredService<MhaRightsClient>();
        var graph = await client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid });

        Assert.False(string.IsNullOrEmpty(graph.Text));
        var calls = server.Probe.CallsTo("WorkflowService/GetWorkflowGraph");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal($"ApiKey {secret}", c.Authorization));
    }

    [Fact]
    public async Task AddMhaRightsClient_OptionsFromServiceProvider_WritesCarryRequestIds()
    {
        await using var server = await InProcessServer.StartAsync();
        var secret = await server.CreateApiKeyAsync(InProcessServer.MhaOffice);
        using var handler = server.CreateHandler();
        var services = new ServiceCollection();
        services.AddSingleton(MhaRightsCredential.FromApiKey(secret));
        services.AddMhaRightsClient((provider, options) =>
        {
            options.Address = new Uri("http://localhost");
            options.Credential = provider.GetRequiredService<MhaRightsCredential>();
            options.HttpHandler = handler;
        });
        await using var provider = services.BuildServiceProvider();

        var patient = await provider.GetRequiredService<MhaRightsClient>().Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "DI-1" } });

        Assert.StartsWith("patients/", patient.Name, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Assert.Single(server.Probe.CallsTo("PatientService/CreatePatient")).RequestId));
    }

    [Fact]
    public void AddMhaRightsClient_NoAddress_ResolvingFailsClearly()
    {
        var services = new ServiceCollection();
        services.AddMhaRightsClient(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<InvalidOperationException>(() => provider.GetRequiredService<MhaRightsClient>());

        Assert.Contains("Address", error.Message, StringComparison.Ordinal);
    }
}
