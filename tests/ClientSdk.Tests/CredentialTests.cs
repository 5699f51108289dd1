using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>The credential reaches the server on every attempt as the authorization header.</summary>
public sealed class CredentialTests
{
    private static readonly GetWorkflowGraphRequest GraphRequest = new() { Workflow = "rights-duty", Format = GraphFormat.Mermaid };

    [Fact]
    public async Task ApiKey_EveryAttempt_SendsAuthorizationApiKeyHeader()
    {
        await using var server = await InProcessServer.StartAsync();
        var secret = await server.CreateApiKeyAsync(InProcessServer.EprIntegration);
        var client = server.CreateClient(MhaRightsCredential.FromApiKey(secret));
        server.Probe.FailBeforeHandling("WorkflowService/GetWorkflowGraph");

        await client.Workflows.GetWorkflowGraphAsync(GraphRequest);

        var calls = server.Probe.CallsTo("WorkflowService/GetWorkflowGraph");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal($"ApiKey {secret}", c.Authorization));
    }

    [Fact]
    public async Task BearerTokenProvider_EachAttempt_AsksProviderAndSendsBearerHeader()
    {
        await using var server = await InProcessServer.StartAsync();
        var issued = 0;
        var client = server.CreateClient(MhaRightsCredential.FromBearerTokenProvider(_ =>
            ValueTask.FromResult($"token-{Interlocked.Increment(ref issued)}")));
        server.Probe.FailBeforeHandling("WorkflowService/GetWorkflowGraph");

        // This server accepts API keys only (no token issuer configured), so the token itself is refused.
        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Equal(MhaRightsErrorReasons.Unauthenticated, ex.Reason);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Probe.CallsTo("WorkflowService/GetWorkflowGraph").Select(c => c.Authorization));
    }

    [Fact]
    public async Task BearerToken_Fixed_SendsBearerHeader()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = server.CreateClient(MhaRightsCredential.FromBearerToken("eyJhbGciOi.fixed.token"));

        await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Equal("Bearer eyJhbGciOi.fixed.token", Assert.Single(server.Probe.Calls).Authorization);
    }

    [Fact]
    public async Task NoCredential_Call_SendsNoAuthorizationHeader()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = server.CreateClient(credential: null);

        await Assert.ThrowsAsync<MhaRightsException>(() => client.Workflows.GetWorkflowGraphAsync(GraphRequest));

        Assert.Null(Assert.Single(server.Probe.Calls).Authorization);
    }

    [Theory]
    [InlineData("http://mharights.example-trust.nhs.uk", false, false)]
    [InlineData("http://mharights.example-trust.nhs.uk", true, true)]
    [InlineData("https://mharights.example-trust.nhs.uk", false, true)]
    [InlineData("http://localhost:5000", false, true)]
    [InlineData("http://127.0.0.1:5000", false, true)]
    [InlineData("http://[::1]:5000", false, true)]
    public void Credential_OverPlainHttp_RefusedUnlessLoopbackOrAllowed(string address, bool allowUnencrypted, bool accepted)
    {
        var options = new MhaRightsClientOptions
        {
            Address = new Uri(address),
            Credential = MhaRightsCredential.FromApiKey("k1.secret"),
            AllowUnencryptedCredentials = allowUnencrypted,
        };

        var error = Record.Exception(() => new MhaRightsClient(options).Dispose());

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains("clear text", Assert.IsType<ArgumentException>(error).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Credential_ToString_NeverRevealsTheSecret()
    {
        Assert.DoesNotContain("s3cr3t", MhaRightsCredential.FromApiKey("k1.s3cr3t").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", MhaRightsCredential.FromBearerToken("s3cr3t").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k1.secret\r\nx-admin: yes")]
    [InlineData("k1 secret")]
    public void FromApiKey_EmptyOrWithWhiteSpace_Rejected(string secret) =>
        Assert.ThrowsAny<ArgumentException>(() => MhaRightsCredential.FromApiKey(secret));
}
