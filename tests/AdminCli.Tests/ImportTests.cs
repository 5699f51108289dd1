using System.Diagnostics;
using System.Globalization;
using System.Text;
using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MhaRights.AdminCli.Tests;

public sealed class ImportTests(ITestOutputHelper output)
{
    /// <summary>
    /// The acceptance test. The import sends 10 ImportRows batches of 1,000 rows (the server refuses one,
    /// the CLI resends it without the refused row), about a minute on a busy two-core machine (see the test output
    /// for the measured times); <c>--filter Category!=Slow</c> leaves it out of quick runs and
    /// MHARIGHTS_IMPORT_TEST_ROWS scales it.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Import_TenThousandRowsWithThreeBad_ReportsExactlyThoseAndReimportAddsNothing()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("MHARIGHTS_IMPORT_TEST_ROWS"), out var n) ? n : 10_000;
        await using var cli = await CliHarness.StartForBulkAsync();
        var path = Path.Combine(cli.Home, "bulk.csv");
        var start = cli.App.Clock.GetUtcNow().AddDays(-20);
        var bad = WriteBulkFile(path, rows, start);

        var first = Stopwatch.StartNew();
        var imported = await cli.RunAsync("import", path, "-o", "json");
        first.Stop();
        var second = Stopwatch.StartNew();
        var again = await cli.RunAsync("import", path, "-o", "json");
        second.Stop();
        output.WriteLine($"{rows} rows: first import {first.Elapsed.TotalSeconds:F1} s, second {second.Elapsed.TotalSeconds:F1} s");

        Assert.True(imported.ExitCode == 1, imported.ToString()[..Math.Min(3000, imported.ToString().Length)]);
        var result = imported.Json();
        var errors = result["errors"]!.AsArray();
        Assert.Equal(bad.Select(b => b.Row).Order(), errors.Select(e => e!["row"]!.GetValue<int>()).Order());
        foreach (var (row, column) in bad)
        {
            Assert.Contains(errors, e => e!["row"]!.GetValue<int>() == row && e["column"]!.GetValue<string>() == column);
        }

        Assert.Equal(rows - 3, result["patientsCreated"]!.GetValue<int>());
        Assert.Equal(rows - 3, result["episodesStarted"]!.GetValue<int>());
        var patientsAfterFirst = await cli.App.CountAsync("Patients");
        var episodesAfterFirst = await cli.App.CountAsync("LegalStatusEpisodes");

        Assert.True(again.ExitCode == 1, again.ToString()[..Math.Min(3000, again.ToString().Length)]);
        var repeat = again.Json();
        Assert.Equal(3, repeat["rowsRejected"]!.GetValue<int>());
        Assert.Equal(0, repeat["patientsCreated"]!.GetValue<int>());
        Assert.Equal(0, repeat["episodesStarted"]!.GetValue<int>());
        Assert.Equal(rows - 3, repeat["patientsExisting"]!.GetValue<int>());
        Assert.Equal(rows - 3, repeat["episodesExisting"]!.GetValue<int>());
        Assert.Equal(patientsAfterFirst, await cli.App.CountAsync("Patients"));
        Assert.Equal(episodesAfterFirst, await cli.App.CountAsync("LegalStatusEpisodes"));
    }

    [Fact]
    public async Task Import_ServerRefusesAPatient_ThatPatientsRowsReportedAndTheRestOfTheBatchImported()
    {
        await using var cli = await CliHarness.StartAsync();
        var path = Path.Combine(cli.Home, "refused.csv");
        var start = cli.App.Clock.GetUtcNow().AddDays(-30);
        string At(int days) => start.AddDays(days).ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
        // SRV-1's first row carries an ethnic category only the server knows is wrong: the patient cannot be
        // created, so its second row cannot be imported either; SRV-2 and SRV-3, in the same batch, are imported.
        File.WriteAllText(path, string.Join('\n',
            "local_id,ethnic_category,provision,hospital,start_time,end_time,end_reason",
            $"SRV-1,QQ,s2,RXM01,{At(0)},{At(5)},discharged-by-responsible-clinician",
            $"SRV-1,A,s3,RXM01,{At(10)},,",
            $"SRV-2,A,s3,RXM01,{At(1)},,",
            $"SRV-3,A,s2,RXM01,{At(2)},{At(6)},discharged-by-tribunal") + "\n");
        var patientsBefore = await cli.App.CountAsync("Patients");

        var result = await cli.RunAsync("import", path, "-o", "json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = result.Json();
        var errors = json["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]!.GetValue<string>())).ToList();
        Assert.Equal([(2, "ethnic_category"), (3, "local_id")], errors);
        Assert.Contains("see row 2", json["errors"]![1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, json["patientsCreated"]!.GetValue<int>());
        Assert.Equal(2, json["episodesStarted"]!.GetValue<int>());
        Assert.Equal(1, json["episodesEnded"]!.GetValue<int>());
        Assert.Equal(patientsBefore + 2, await cli.App.CountAsync("Patients"));
    }

    /// <summary>
    /// Writes <paramref name="rows"/> detentions, one patient each, three of them bad: two that local validation
    /// catches and one (an ethnic category outside the NHS code set) that only the server refuses.
    /// </summary>
    private static List<(int Row, string Column)> WriteBulkFile(string path, int rows, DateTimeOffset start)
    {
        var text = new StringBuilder("local_id,given_name,family_name,ethnic_category,nhs_number,provision,hospital,ward,start_time\n");
        var bad = new List<(int Row, string Column)>();
        var startText = start.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
        for (var i = 1; i <= rows; i++)
        {
            var row = i + 1; // the header is row 1
            var ethnic = "A";
            var nhs = string.Empty;
            var when = startText;
            if (i == rows / 4)
            {
                nhs = "1234567890";
                bad.Add((row, "nhs_number"));
            }
            else if (i == rows / 2)
            {
                when = "2026-02-30 10:00";
                bad.Add((row, "start_time"));
            }
            else if (i == rows * 3 / 4)
            {
                ethnic = "QQ";
                bad.Add((row, "ethnic_category"));
            }

            text.Append(CultureInfo.InvariantCulture, $"BULK-{i:D6},Pat,Test{i},{ethnic},{nhs},s2,RXM01,ASH,{when}\n");
        }

        File.WriteAllText(path, text.ToString());
        return bad;
    }
}
