using System.Text.RegularExpressions;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Client.Tests.Samples;
using MhaRights.Contracts.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Client.Tests;

/// <summary>The README's example is the compiled code in Samples/, and it works against the real server.</summary>
public sealed partial class ReadmeSnippetTests
{
    private static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "Samples");

    [Fact]
    public void Readme_EverySnippet_EqualsCompiledSampleRegion()
    {
        var readme = Normalise(File.ReadAllText(Path.Combine(SamplesDirectory, "README.md")));
        var regions = Directory.GetFiles(SamplesDirectory, "*.cs")
            .SelectMany(f => RegionPattern().Matches(Normalise(File.ReadAllText(f))))
            .ToDictionary(m => m.Groups["name"].Value, m => Dedent(m.Groups["code"].Value));
        var snippets = SnippetPattern().Matches(readme).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["code"].Value.TrimEnd());

        Assert.NotEmpty(snippets);
        Assert.Equal(regions.Keys.Order(), snippets.Keys.Order());
        foreach (var (name, code) in regions)
        {
            Assert.True(code == snippets[name], $"README snippet '{name}' differs from Samples/; copy the region into the README.\n--- sample ---\n{code}\n--- readme ---\n{snippets[name]}");
        }
    }

    [Fact]
    public async Task RecordExplanationSample_PatientWithOpenDuty_RecordsOneAttempt()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.EprIntegration);
        var patient = await client.CreatePatientAsync("EPR-42");
        await client.StartEpisodeAsync(server, patient);
        var duty = await client.Section1321DutyAsync(patient);

        var attemptName = await GettingStartedSample.RecordExplanationAsync(client, "EPR-42");

        Assert.NotNull(attemptName);
        Assert.Equal(RightsDuty.Types.State.Understood, (await client.Rights.GetDutyAsync(duty.Name)).State);
        var attempts = await client.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = patient.Name }).ToListAsync();
        Assert.Equal(attemptName, Assert.Single(attempts).Name);
        Assert.Null(await GettingStartedSample.RecordExplanationAsync(client, "NO-SUCH-PATIENT"));
    }

    [Fact]
    public async Task AdmitAndExplainSample_NewPatient_DutyUnderstood()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.MhaOffice);
        var now = server.Clock.GetUtcNow();

        var duty = await GettingStartedSample.AdmitAndExplainAsync(client, "EPR-43", now.AddHours(-2), now);

        Assert.Equal(RightsDuty.Types.State.Understood, duty.State);
        Assert.Equal(DutyKind.Section1321, duty.Kind);
    }

    [Fact]
    public void ConfigurationSample_Section_ResolvesClient()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MhaRights:Address"] = "https://mharights.example-trust.nhs.uk",
            ["MhaRights:ApiKey"] = "k1.secret",
        }).Build();
        using var provider = new ServiceCollection().AddMhaRightsFromConfiguration(configuration).BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<MhaRightsClient>().Rights);
    }

    [Fact]
    public void ClientSamples_Construct_WithoutContactingTheServer()
    {
        using var client = GettingStartedSample.CreateClient("k1.secret");
        using var provider = new ServiceCollection().AddMhaRights("k1.secret").BuildServiceProvider();

        Assert.NotNull(client.Rights);
        Assert.NotNull(provider.GetRequiredService<MhaRightsClient>().Rights);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Dedent(string code)
    {
        var lines = code.Trim('\n').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }

    [GeneratedRegex(@"#region snippet:(?<name>\w+)\n(?<code>.*?)\n\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"<!-- snippet: (?<name>\w+) -->\n```csharp\n(?<code>.*?)\n```\n<!-- endSnippet -->", RegexOptions.Singleline)]
    private static partial Regex SnippetPattern();
}
