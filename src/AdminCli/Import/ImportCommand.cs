using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CsvHelper;
using MhaRights.AdminCli.Import;
using MhaRights.AdminCli.Infrastructure;
using Spectre.Console;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights import FILE</c>: existing detentions and rights history from CSV.</summary>
internal static class ImportCommand
{
    public static Command Build(CliContext context)
    {
        var file = CommandKit.Arg("file", "The CSV file (UTF-8; columns in src/AdminCli/README.md, sample in samples/import-sample.csv)");
        var dryRun = CommandKit.Flag("--dry-run", "Validate every row and look up what already exists, but change nothing");
        var parallel = new Option<int>("--parallel") { Description = "Patients a dry run looks up at the same time (1-16); an import sends at most 2 batches at once", HelpName = "n", DefaultValueFactory = _ => 4 };
        var errorsFile = CommandKit.Text("--errors", "Also write the rejected rows (row,column,reason) to this CSV file", "path");
        return CommandKit.Leaf(
            context,
            "import",
            "Import existing detentions and rights history from CSV. Safe to repeat: rows already imported are skipped, " +
            "never duplicated. Rejected rows are listed with their row number and column; the other rows are imported.",
            [
                "mharights import detentions.csv --dry-run",
                "mharights import detentions.csv --errors rejected.csv",
                "mharights import detentions.csv -o json > import-result.json",
            ],
            [file, dryRun, parallel, errorsFile],
            async (parseResult, cancellationToken) =>
            {
                var degree = parseResult.GetValue(parallel);
                if (degree is < 1 or > 16)
                {
                    throw CliException.Usage("--parallel must be from 1 to 16");
                }

                var path = parseResult.GetRequiredValue(file);
                var isDryRun = parseResult.GetValue(dryRun);
                var (rows, localErrors, rowCount) = ImportFile.Read(path, context.Clock);
                var client = context.Client(parseResult);
                var errors = new List<RowError>(localErrors);
                ImportRunner? runner = null;

                async Task RunAsync(Action<int> rowsDone)
                {
                    rowsDone(rowCount - rows.Count);
                    runner = new ImportRunner(client, isDryRun, degree, rowsDone);
                    await runner.RunAsync(rows, cancellationToken);
                }

                if (context.ShowProgress(parseResult))
                {
                    await ImportProgress.RunWithBarAsync(ProgressConsole(context), Path.GetFileName(path), rowCount, RunAsync);
                }
                else
                {
                    await RunAsync(_ => { });
                }

                errors.AddRange(runner!.Errors);
                errors.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : string.CompareOrdinal(a.Column, b.Column));
                var rejectedRows = errors.Select(e => e.Row).Distinct().Count();

                if (parseResult.GetValue(errorsFile) is { } errorsPath)
                {
                    await using var writer = new StreamWriter(errorsPath);
                    WriteErrorsCsv(writer, errors);
                }

                WriteResult(context, parseResult, path, isDryRun, rowCount, rejectedRows, runner.Summary, errors);
                return rejectedRows == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            });
    }

    /// <summary>
    /// The console the bar is drawn on: the run's stderr, with ANSI and interactivity forced on because
    /// <see cref="CliContext.ShowProgress"/> has already decided a person is watching a terminal (Spectre would
    /// otherwise judge the writer it is given, which in tests is a string).
    /// </summary>
    private static IAnsiConsole ProgressConsole(CliContext context)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Stderr),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
        });
        if (context.Terminal.Width is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    private static void WriteResult(CliContext context, ParseResult parseResult, string path, bool dryRun, int rowCount, int rejectedRows, ImportSummary summary, List<RowError> errors)
    {
        var output = context.Output(parseResult);
        switch (output.Format)
        {
            case OutputFormat.Json:
                output.WriteJson(new JsonObject
                {
                    ["file"] = Path.GetFullPath(path),
                    ["dryRun"] = dryRun,
                    ["rows"] = rowCount,
                    ["rowsRejected"] = rejectedRows,
                    ["patientsCreated"] = summary.PatientsCreated,
                    ["patientsExisting"] = summary.PatientsExisting,
                    ["nearestRelativesSet"] = summary.NearestRelativesSet,
                    ["episodesStarted"] = summary.EpisodesStarted,
                    ["episodesExisting"] = summary.EpisodesExisting,
                    ["episodesEnded"] = summary.EpisodesEnded,
                    ["attemptsRecorded"] = summary.AttemptsRecorded,
                    ["attemptsExisting"] = summary.AttemptsExisting,
                    ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["row"] = e.Row, ["column"] = e.Column, ["reason"] = e.Reason })]),
                });
                break;
            case OutputFormat.Csv:
                // As CSV the result is the error report itself, ready to open next to the source file.
                WriteErrorsCsv(output.Stdout, errors);
                break;
            default:
                var would = dryRun ? "would be " : string.Empty;
                output.WriteTable(
                    ["", dryRun ? "Would create" : "Created", "Already there"],
                    [
                        ["Patients", summary.PatientsCreated.ToString(CultureInfo.InvariantCulture), summary.PatientsExisting.ToString(CultureInfo.InvariantCulture)],
                        ["Nearest relatives", summary.NearestRelativesSet.ToString(CultureInfo.InvariantCulture), string.Empty],
                        ["Episodes started", summary.EpisodesStarted.ToString(CultureInfo.InvariantCulture), summary.EpisodesExisting.ToString(CultureInfo.InvariantCulture)],
                        ["Episodes ended", summary.EpisodesEnded.ToString(CultureInfo.InvariantCulture), string.Empty],
                        ["Explanation attempts", summary.AttemptsRecorded.ToString(CultureInfo.InvariantCulture), summary.AttemptsExisting.ToString(CultureInfo.InvariantCulture)],
                    ],
                    title: $"{Path.GetFileName(path)}: {rowCount} rows, {rejectedRows} rejected{(summary.NothingNew && rejectedRows < rowCount ? $", nothing new {would}imported" : string.Empty)}");
                break;
        }

        // The per-row report always reaches the person, whatever stdout is redirected to.
        foreach (var error in errors)
        {
            context.Stderr.WriteLine($"row {error.Row}, {error.Column}: {error.Reason}");
        }

        if (rejectedRows > 0)
        {
            context.Stderr.WriteLine($"{rejectedRows} of {rowCount} rows rejected{(dryRun ? string.Empty : "; the others were imported. Fix the rows and import the same file again: imported rows are skipped")}.");
        }
    }

    private static void WriteErrorsCsv(TextWriter writer, IEnumerable<RowError> errors)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        csv.WriteField("row");
        csv.WriteField("column");
        csv.WriteField("reason");
        csv.NextRecord();
        foreach (var error in errors)
        {
            csv.WriteField(error.Row);
            csv.WriteField(error.Column);
            csv.WriteField(error.Reason);
            csv.NextRecord();
        }

        csv.Flush();
    }
}

/// <summary>The progress bar (Spectre.Console) on stderr.</summary>
internal static class ImportProgress
{
    public static Task RunWithBarAsync(IAnsiConsole console, string name, int total, Func<Action<int>, Task> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"Importing {name} ({total} rows)"), maxValue: Math.Max(total, 1));
                await work(rows => task.Increment(rows));
                task.Value = task.MaxValue;
            });
}
