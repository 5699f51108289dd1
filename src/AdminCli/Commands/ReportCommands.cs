using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights report ...</c>: compliance reports (ReportService) for a period, reproducible "as of" a date.</summary>
internal static class ReportCommands
{
    private static readonly IReadOnlyList<Column<Measure>> MeasureColumns =
    [
        new("Measure", m => m.Id),
        new("Title", m => m.Title),
        new("Numerator", m => m.Suppressed ? "*" : m.Numerator.ToString(CultureInfo.InvariantCulture)),
        new("Denominator", m => m.Suppressed ? "*" : m.Denominator.ToString(CultureInfo.InvariantCulture)),
        new("%", m => m.HasPercentage ? m.Percentage.ToString("0.0", CultureInfo.InvariantCulture) : string.Empty),
        new("Median h", m => m.HasMedianHours ? m.MedianHours.ToString("0.0", CultureInfo.InvariantCulture) : string.Empty),
        new("P90 h", m => m.HasP90Hours ? m.P90Hours.ToString("0.0", CultureInfo.InvariantCulture) : string.Empty),
        new("Suppressed", m => m.Suppressed ? "yes (fewer than 5)" : string.Empty),
        new("Target", m => m.HasTarget ? m.Target.ToString("0.#", CultureInfo.InvariantCulture) : string.Empty),
        new("Status", m => ProtoEnums.Display(m.RagStatus)),
        new("Trend", m => ProtoEnums.Display(m.Trend)),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "report",
        "Compliance reports for CQC reviewers, internal audit and the MHA governance group",
        Compliance(context),
        Render(context));

    private sealed class ReportOptions
    {
        public Option<string> From { get; } = CommandKit.Required("--from", "Episodes starting from this date or time (London)", "date");

        public Option<string> To { get; } = CommandKit.Required("--to", "...and before this date or time (London)", "date");

        public Option<string?> Hospital { get; } = CommandKit.Text("--hospital", "Only episodes at this hospital", "code");

        public Option<string?> Ward { get; } = CommandKit.Text("--ward", "Only episodes on this ward", "code");

        public Option<string?> Provision { get; } = CommandKit.Text("--provision", "Only this provision, e.g. s3", "provision");

        public Option<string?> AsOf { get; } = CommandKit.Text("--as-of", "Compute from the record as it stood at this time (default now)", "time");

        public Option<string[]> Breakdowns { get; } = new("--breakdown")
        {
            Description = "Breakdowns wanted (repeatable): " + ProtoEnums.Choices<BreakdownDimension>() + " (default: all demographic ones and the monthly trend)",
            HelpName = "dimension",
        };

        public IEnumerable<Symbol> Symbols => [From, To, Hospital, Ward, Provision, AsOf, Breakdowns];

        public GetComplianceReportRequest Request(ParseResult parseResult, TimeProvider clock)
        {
            var request = new GetComplianceReportRequest
            {
                Period = new TimeRange
                {
                    StartTime = TimeText.ToTimestamp(TimeText.Parse(parseResult.GetRequiredValue(From), "--from", clock, allowDateOnly: true)),
                    EndTime = TimeText.ToTimestamp(TimeText.Parse(parseResult.GetRequiredValue(To), "--to", clock, allowDateOnly: true)),
                },
                Hospital = parseResult.GetValue(Hospital) ?? string.Empty,
                Ward = parseResult.GetValue(Ward) ?? string.Empty,
                Provision = parseResult.GetValue(Provision) is { } p ? LegalNames.ParseProvision(p, "--provision") : Contracts.V1.Provision.Unspecified,
            };
            if (parseResult.GetValue(AsOf) is { } asOf)
            {
                request.AsOfTime = TimeText.ToTimestamp(TimeText.Parse(asOf, "--as-of", clock, allowDateOnly: true));
            }

            foreach (var dimension in parseResult.GetValue(Breakdowns) ?? [])
            {
                request.Breakdowns.Add(ProtoEnums.Parse<BreakdownDimension>(dimension, "--breakdown"));
            }

            return request;
        }
    }

    private static Command Compliance(CliContext context)
    {
        var options = new ReportOptions();
        return CommandKit.Leaf(
            context,
            "compliance",
            "Compute the compliance measures for episodes starting in a period (table: headlines; json: everything)",
            ["mharights report compliance --from 2026-01-01 --to 2026-04-01", "mharights report compliance --from 2026-01-01 --to 2026-04-01 --hospital RXM01 --breakdown ethnic-group -o json"],
            options.Symbols,
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var report = await client.Reports.GetComplianceReportAsync(options.Request(parseResult, context.Clock), cancellationToken);
                var output = context.Output(parseResult);
                if (output.Format == OutputFormat.Json)
                {
                    output.WriteJson(OutputWriter.ProtoJson(report));
                    return ExitCodes.Ok;
                }

                if (output.Format == OutputFormat.Table)
                {
                    context.Stderr.WriteLine($"Episodes starting {TimeText.Format(report.Period?.StartTime)} to {TimeText.Format(report.Period?.EndTime)}, as of {TimeText.Format(report.AsOfTime)}; groups under {report.SuppressionThreshold} are suppressed (*).");
                    foreach (var note in report.Notes)
                    {
                        context.Stderr.WriteLine("Note: " + note);
                    }
                }

                output.WriteList(report.Measures, MeasureColumns, m => OutputWriter.ProtoJson(m), context.Stderr, "No measures.");
                return ExitCodes.Ok;
            });
    }

    private static Command Render(CliContext context)
    {
        var options = new ReportOptions();
        var format = new Option<string>("--format") { Description = "html (self-contained page with charts), csv or json", HelpName = "html|csv|json", DefaultValueFactory = _ => "html" };
        var file = CommandKit.Text("--file", "Write to this file (default: the server's suggested name in the current folder; '-' for stdout)", "path");
        var force = CommandKit.Flag("--force", "Overwrite the file if it exists");
        return CommandKit.Leaf(
            context,
            "render",
            "Render the compliance report as a file (HTML with inline SVG charts, CSV or JSON)",
            ["mharights report render --from 2026-01-01 --to 2026-04-01 --format html --file q1.html", "mharights report render --from 2026-01-01 --to 2026-04-01 --format csv --file - > q1.csv"],
            [.. options.Symbols, format, file, force],
            async (parseResult, cancellationToken) =>
            {
                var reportFormat = parseResult.GetValue(format)!.Trim().ToLowerInvariant() switch
                {
                    "html" => ReportFormat.Html,
                    "csv" => ReportFormat.Csv,
                    "json" => ReportFormat.Json,
                    var other => throw CliException.Usage($"--format: '{other}' is not html, csv or json"),
                };
                var client = context.Client(parseResult);
                var rendered = await client.Reports.RenderComplianceReportAsync(new RenderComplianceReportRequest { Report = options.Request(parseResult, context.Clock), Format = reportFormat }, cancellationToken);
                var path = parseResult.GetValue(file) ?? rendered.FileName;
                if (path == "-")
                {
                    context.Output(parseResult).WriteText(rendered.Content.ToStringUtf8());
                    return ExitCodes.Ok;
                }

                if (File.Exists(path) && !parseResult.GetValue(force))
                {
                    throw new CliException(ExitCodes.Conflict, $"{path} exists; add --force to overwrite it");
                }

                await File.WriteAllBytesAsync(path, rendered.Content.ToByteArray(), cancellationToken);
                context.Stderr.WriteLine($"Wrote {rendered.Content.Length} bytes ({rendered.ContentType}) to {path}.");
                var output = context.Output(parseResult);
                var summary = new JsonObject { ["file"] = Path.GetFullPath(path), ["bytes"] = rendered.Content.Length, ["contentType"] = rendered.ContentType };
                if (output.Format == OutputFormat.Json)
                {
                    output.WriteJson(summary);
                }
                else
                {
                    output.WriteItem(rendered, [new("File", _ => Path.GetFullPath(path)), new("Bytes", r => r.Content.Length.ToString(CultureInfo.InvariantCulture)), new("Content type", r => r.ContentType)], _ => null);
                }

                return ExitCodes.Ok;
            });
    }
}
