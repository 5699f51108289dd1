using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>JSON, CSV and HTML renderings of dataset A (see <see cref="ComplianceReportInitialExplanationTests"/>).</summary>
public sealed partial class ComplianceReportRenderingTests(InitialExplanationDataset data) : IClassFixture<InitialExplanationDataset>
{
    [Fact]
    public async Task RenderJson_ParsesBackToTheSameReport()
    {
        var rendered = await RenderAsync(ReportFormat.Json);
        Assert.Equal("application/json", rendered.ContentType);
        Assert.Equal("compliance-report-2026-03-01-to-2026-04-30.json", rendered.FileName);
        var parsed = JsonParser.Default.Parse<ComplianceReport>(rendered.Content.ToStringUtf8());
        Assert.Equal(data.Report, parsed);
        // Suppressed figures carry no percentage at all (proto3 optional), not a misleading 0.
        Assert.DoesNotContain("\"percentage\": 0", rendered.Content.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderCsv_OneRowPerHeadlineAndBreakdownRow_SuppressedRowsWithoutNumbers()
    {
        var rendered = await RenderAsync(ReportFormat.Csv);
        Assert.Equal("text/csv; charset=utf-8", rendered.ContentType);
        var lines = rendered.Content.ToStringUtf8().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("measure_id,measure_title,kind,dimension,group,label,numerator,denominator,percentage,median_hours,p90_hours,suppressed,suppression_reason,as_of_time", lines[0]);
        Assert.Equal(1 + data.Report.Measures.Sum(m => 1 + m.Breakdowns.Sum(b => b.Rows.Count)), lines.Length);
        Assert.Contains("initial_within_sla,Initial explanation attempted within the SLA,RATIO,TOTAL,,,12,16,75,,,false,,2026-05-10T12:00:00Z", lines);
        Assert.Contains("initial_within_sla,Initial explanation attempted within the SLA,RATIO,ETHNIC_CATEGORY,A,White - British,7,7,100,,,false,,2026-05-10T12:00:00Z", lines);
        Assert.Contains("initial_within_sla,Initial explanation attempted within the SLA,RATIO,ETHNIC_CATEGORY,N,Black or Black British - African,,,,,,true,SMALL_NUMBER,2026-05-10T12:00:00Z", lines);
        Assert.Contains("initial_within_sla,Initial explanation attempted within the SLA,RATIO,MONTH,2026-03,March 2026,,,,,,true,SECONDARY,2026-05-10T12:00:00Z", lines);
        Assert.Contains("hours_to_first_attempt,Hours from duty opening to the first explanation attempt,DURATION,TOTAL,,,15,16,93.75,10,33.6,false,,2026-05-10T12:00:00Z", lines);
    }

    [Fact]
    public async Task RenderHtml_SelfContained_NoScriptsNoExternalAssets()
    {
        var rendered = await RenderAsync(ReportFormat.Html);
        Assert.Equal("text/html; charset=utf-8", rendered.ContentType);
        var html = rendered.Content.ToStringUtf8();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        // One trend per measure with a monthly breakdown (the patient-level adjustment measures have none); one bar
        // chart per measure and non-month dimension.
        // A measure with every figure suppressed is one line, not empty charts.
        var drawn = data.Report.Measures.Where(m => !FullySuppressed(m)).ToList();
        Assert.NotEqual(data.Report.Measures.Count, drawn.Count);
        Assert.Equal(data.Report.Measures.Count - drawn.Count, Regex.Count(html, "<p class=\"collapsed\""));
        Assert.Equal(drawn.Count(m => m.Breakdowns.Any(b => b.Dimension == BreakdownDimension.Month)), Regex.Count(html, "<svg class=\"chart trend\""));
        Assert.Equal(drawn.Sum(m => m.Breakdowns.Count(b => b.Dimension != BreakdownDimension.Month)), Regex.Count(html, "<svg class=\"chart bars\""));
        // Times for people in Europe/London; the numbers and suppression are in the page.
        Assert.Contains("Record as of 2026-05-10 13:00 (BST)", html, StringComparison.Ordinal);
        Assert.Contains("75% (12/16)", html, StringComparison.Ordinal);
        Assert.Contains("suppressed (fewer than 5)", html, StringComparison.Ordinal);
        Assert.Contains("suppressed (to protect another group)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderHtml_SummaryPageFirst_EveryMeasureWithTargetRagAndTrend()
    {
        var html = (await RenderAsync(ReportFormat.Html)).Content.ToStringUtf8();

        Assert.True(html.IndexOf("id=\"summary\"", StringComparison.Ordinal) < html.IndexOf("<h2>Notes</h2>", StringComparison.Ordinal), "the summary comes before the notes and charts");
        Assert.Equal(data.Report.Measures.Count, Regex.Count(html, "<tr class=\"summary-row\""));
        Assert.All(data.Report.Measures, m => Assert.Contains($"data-measure=\"{m.Id}\"", html, StringComparison.Ordinal));
        // Dataset A: 12 of 16 within the SLA is 75%, 20 points under the default 95% target: red.
        var initial = data.Report.Measure("initial_within_sla");
        Assert.Equal(95, initial.Target);
        Assert.Equal(RagStatus.Red, initial.RagStatus);
        Assert.NotEqual(Trend.Unspecified, initial.Trend);
        Assert.NotNull(data.Report.PreviousPeriod);
        Assert.All(data.Report.Measures, m => Assert.NotEqual(RagStatus.Unspecified, m.RagStatus));
        Assert.Contains("\u2265 95%", html, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task RenderPdf_SummaryPage_HasEveryMeasureItsRagAndATrendArrow()
    {
        var html = (await RenderAsync(ReportFormat.Html)).Content.ToStringUtf8();
        var directory = Directory.CreateTempSubdirectory("mharights-report-pdf-");
        var file = Path.Combine(directory.FullName, "report.html");
        await File.WriteAllTextAsync(file, html, Encoding.UTF8);
        var pdf = Path.Combine(directory.FullName, "report.pdf");
        await RunChromiumAsync(Path.Combine(directory.FullName, "profile"), "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(file).AbsoluteUri);
        // A picture of the summary too, for a person to look at (kept in the temp folder).
        await RunChromiumAsync(Path.Combine(directory.FullName, "profile2"), "--window-size=1000,1300", $"--screenshot={Path.Combine(Path.GetTempPath(), "mharights-report-summary.png")}", new Uri(file).AbsoluteUri);
        if (!File.Exists("/usr/bin/pdftotext"))
        {
            Assert.True(new FileInfo(pdf).Length > 1000, "no PDF written");
            return;
        }

        var firstPage = await RunAsync("/usr/bin/pdftotext", "-f", "1", "-l", "1", pdf, "-");
        var text = Regex.Replace(firstPage, "\\s+", " ");
        File.Copy(pdf, Path.Combine(Path.GetTempPath(), "mharights-report.pdf"), overwrite: true);
        // The whole summary is on page 1: each measure (its title's opening words), one status each, one trend each.
        Assert.All(data.Report.Measures, m => Assert.Contains(string.Join(' ', m.Title.Split(' ').Take(3)), text, StringComparison.Ordinal));
        Assert.Equal(data.Report.Measures.Count, Regex.Count(text, "\\b(Green|Amber|Red|Not rated)\\b"));
        Assert.Equal(data.Report.Measures.Count, Regex.Count(text, "[\u25B2\u25BC\u25B6\u2013] (better|worse|steady|no comparison)"));
        Assert.DoesNotContain("Monthly trend", text, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task RenderHtml_InHeadlessChromium_EveryChartDrawnWithNonZeroSize()
    {
        var html = (await RenderAsync(ReportFormat.Html)).Content.ToStringUtf8();
        var root = await MeasureInChromiumAsync(html);

        var charts = root.GetProperty("charts").EnumerateArray().ToList();
        Assert.Equal(Regex.Count(html, "<svg class=\"chart "), charts.Count);
        Assert.All(charts, c =>
        {
            Assert.True(c.GetProperty("width").GetDouble() > 0, c.GetProperty("id").GetString());
            Assert.True(c.GetProperty("height").GetDouble() > 0, c.GetProperty("id").GetString());
        });
        var bars = root.GetProperty("bars").EnumerateArray().ToList();
        Assert.NotEmpty(bars);
        Assert.All(bars, b => Assert.True(b.GetProperty("width").GetDouble() > 0 && b.GetProperty("height").GetDouble() > 0));
        // The first bar chart is initial_within_sla by ethnic category: only "A" is drawn (7/7 = 100% of 330 px).
        var first = root.GetProperty("firstBars").EnumerateArray().Select(b => b.GetDouble()).ToList();
        Assert.Equal(330, Assert.Single(first), 1);
        // Dataset A's months are suppressed for every measure, so its trends are axes and gap markers only.
        Assert.Empty(root.GetProperty("points").EnumerateArray());
        Assert.NotEmpty(root.GetProperty("gaps").EnumerateArray());
    }

    [ChromiumFact]
    public async Task RenderHtml_TrendWithVisibleMonths_LinesAndPointsDrawnWithNonZeroSize()
    {
        // A report whose months are large enough to show: three months of 40-60 duties, the middle one suppressed.
        var report = new ComplianceReport
        {
            Period = new TimeRange { StartTime = Scenario.At(Utc(1, 1, 0)), EndTime = Scenario.At(Utc(4, 30, 23)) },
            AsOfTime = Scenario.At(Utc(5, 10, 12)),
            GeneratedTime = Scenario.At(Utc(5, 10, 12)),
            SuppressionThreshold = 5,
        };
        var ratio = new Measure { Id = "initial_within_sla", Title = "Initial explanation attempted within the SLA", Kind = MeasureKind.Ratio, Numerator = 130, Denominator = 150, Percentage = 86.7 };
        var duration = new Measure { Id = "hours_to_first_attempt", Title = "Hours to first attempt", Kind = MeasureKind.Duration, LowerIsBetter = true, Numerator = 140, Denominator = 150, MedianHours = 6, P90Hours = 30 };
        foreach (var measure in new[] { ratio, duration })
        {
            var months = new Breakdown { Dimension = BreakdownDimension.Month };
            months.Rows.Add(Row("2026-01", "January 2026", 40, 50, 80, 5, 20));
            months.Rows.Add(Row("2026-02", "February 2026", 45, 50, 90, 6, 28));
            months.Rows.Add(new BreakdownRow { Group = "2026-03", Label = "March 2026", Suppressed = true, SuppressionReason = SuppressionReason.SmallNumber });
            months.Rows.Add(Row("2026-04", "April 2026", 45, 50, 90, 7, 35));
            measure.Breakdowns.Add(months);
            var sex = new Breakdown { Dimension = BreakdownDimension.Sex };
            sex.Rows.Add(Row("MALE", "Male", 70, 80, 87.5, 6, 30));
            sex.Rows.Add(Row("FEMALE", "Female", 60, 70, 85.7, 5.5, 26));
            measure.Breakdowns.Add(sex);
            report.Measures.Add(measure);
        }

        var root = await MeasureInChromiumAsync(System.Text.Encoding.UTF8.GetString(MhaRights.Server.Reporting.Rendering.HtmlReportRenderer.Render(report)));
        // Ratio: one line over January-February, April a lone point; duration: median and p90 lines likewise.
        var lines = root.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.True(l.GetProperty("width").GetDouble() > 0));
        var points = root.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(9, points.Count);
        Assert.All(points, p => Assert.True(p.GetProperty("width").GetDouble() > 0 && p.GetProperty("height").GetDouble() > 0));
        Assert.Equal(2, root.GetProperty("gaps").GetArrayLength());
        Assert.Equal(4, root.GetProperty("bars").GetArrayLength());
        Assert.All(root.GetProperty("charts").EnumerateArray(), c => Assert.True(c.GetProperty("width").GetDouble() > 0 && c.GetProperty("height").GetDouble() > 0));

        static BreakdownRow Row(string group, string label, long numerator, long denominator, double percentage, double median, double p90) =>
            new() { Group = group, Label = label, Numerator = numerator, Denominator = denominator, Percentage = percentage, MedianHours = median, P90Hours = p90 };
    }

    /// <summary>
    /// Loads the page in headless Chromium (file:// only, no network) with one inline measuring script added; the
    /// report itself has no script and its policy forbids one, so the test copy allows this inline script only.
    /// </summary>
    private static async Task<JsonElement> MeasureInChromiumAsync(string html)
    {
        var directory = Directory.CreateTempSubdirectory("mharights-report-html-");
        try
        {
            var page = html
                .Replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", StringComparison.Ordinal)
                .Replace("</body>", MeasuringScript + "</body>", StringComparison.Ordinal);
            var file = Path.Combine(directory.FullName, "report.html");
            await File.WriteAllTextAsync(file, page, Encoding.UTF8);
            var dom = await DumpDomAsync(file, Path.Combine(directory.FullName, "profile"));
            var json = MeasurementsPattern().Match(dom);
            Assert.True(json.Success, "the measuring script did not write its results: " + dom[..Math.Min(dom.Length, 500)]);
            using var measured = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(json.Groups[1].Value));
            return measured.RootElement.Clone();
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold the profile briefly.
            }
        }
    }

    private const string MeasuringScript = """
        <pre id="measurements"></pre>
        <script>
        const box = e => { const b = e.getBoundingClientRect(); return { id: e.id || e.closest('svg').id, width: b.width, height: b.height }; };
        const bbox = e => { const b = e.getBBox(); return { id: e.closest('svg').id, width: b.width, height: b.height }; };
        const firstBars = document.querySelector('svg.bars');
        document.getElementById('measurements').textContent = JSON.stringify({
          charts: [...document.querySelectorAll('svg.chart')].map(box),
          bars: [...document.querySelectorAll('svg.chart rect.bar')].map(bbox),
          lines: [...document.querySelectorAll('svg.chart polyline')].map(bbox),
          points: [...document.querySelectorAll('svg.chart circle')].map(bbox),
          gaps: [...document.querySelectorAll('svg.chart rect.gap')].map(bbox),
          firstBars: [...firstBars.querySelectorAll('rect.bar')].map(r => r.getBBox().width),
        });
        </script>
        """;

    private static bool FullySuppressed(Measure m) => m.Suppressed && m.Breakdowns.All(b => b.Rows.All(r => r.Suppressed));

    private async Task<RenderedReport> RenderAsync(ReportFormat format) =>
        await data.App.Reports().RenderComplianceReportAsync(new RenderComplianceReportRequest
        {
            Report = Request(InitialExplanationDataset.PeriodStart, InitialExplanationDataset.PeriodEnd),
            Format = format,
        });

    private static Task<string> DumpDomAsync(string file, string profile) =>
        RunChromiumAsync(profile, "--virtual-time-budget=5000", "--dump-dom", new Uri(file).AbsoluteUri);

    private static Task<string> RunChromiumAsync(string profile, params string[] arguments) =>
        RunAsync(Chromium.Path!, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", $"--user-data-dir={profile}", .. arguments]);

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await errors;
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"{program} exited {process.ExitCode}: {stderr}"));
        return await output;
    }

    [GeneratedRegex("<pre id=\"measurements\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex MeasurementsPattern();
}
