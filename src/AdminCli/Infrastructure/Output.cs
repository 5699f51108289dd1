using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>The <c>-o</c> formats.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}

internal static class OutputFormats
{
    public const string Choices = "table|json|csv";

    public static OutputFormat Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => throw CliException.Usage($"unknown output format '{text}'; use one of {Choices}"),
    };
}

/// <summary>
/// One column of a table or CSV: a header and how to get the cell text from an item. A table too wide for the
/// terminal leaves out the columns with the highest <paramref name="DropOrder"/> first (0: always shown); CSV and
/// JSON always have every column.
/// </summary>
internal sealed record Column<T>(string Header, Func<T, string?> Value, int DropOrder = 0);

/// <summary>
/// Writes command results to stdout in the chosen format. JSON is one document (an array for lists) written with
/// System.Text.Json, CSV is RFC 4180 from CsvHelper, and only the table format goes through Spectre.Console, so
/// machine formats never carry markup, colour or wrapping.
/// </summary>
internal sealed class OutputWriter(TextWriter stdout, OutputFormat format, Func<TextWriter, IAnsiConsole> tableConsole)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Names such as "Zoë" stay readable; the output is a file or a pipe, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonFormatter ProtoFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public OutputFormat Format => format;

    public TextWriter Stdout => stdout;

    /// <summary>A proto message as JSON (proto3 JSON mapping: camelCase names, enum names, RFC 3339 times).</summary>
    public static JsonNode ProtoJson(IMessage message) => JsonNode.Parse(ProtoFormatter.Format(message))!;

    public void WriteList<T>(IReadOnlyList<T> items, IReadOnlyList<Column<T>> columns, Func<T, JsonNode?> json, TextWriter stderr, string emptyMessage = "No items.")
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(new JsonArray([.. items.Select(json)]));
                break;
            case OutputFormat.Csv:
                WriteCsv(columns.Select(c => c.Header).ToArray(), items.Select(i => columns.Select(c => c.Value(i)).ToArray()));
                break;
            default:
                if (items.Count == 0)
                {
                    // Nothing on stdout, so `| wc -l` counts rows; the note is for the person reading.
                    stderr.WriteLine(emptyMessage);
                    return;
                }

                var shown = FitToWidth(columns, items, tableConsole(TextWriter.Null).Profile.Width);
                if (shown.Count < columns.Count)
                {
                    stderr.WriteLine($"Not shown to fit the terminal: {string.Join(", ", columns.Except(shown).Select(c => c.Header))} (-o csv or -o json has every column).");
                }

                WriteTable(shown.Select(c => c.Header).ToArray(), items.Select(i => shown.Select(c => c.Value(i)).ToArray()));
                break;
        }
    }

    /// <summary>The columns to show in <paramref name="width"/> characters: optional ones are left out, highest drop order first, until the rest fit.</summary>
    internal static IReadOnlyList<Column<T>> FitToWidth<T>(IReadOnlyList<Column<T>> columns, IReadOnlyList<T> items, int width)
    {
        // Natural width: the longest cell or header (a long name counts as 30: it is cut anyway) plus the gap.
        var natural = columns.ToDictionary(c => c, c => Math.Min(30, items.Select(i => c.Value(i)?.Length ?? 0).Append(c.Header.Length).Max()) + 2);
        var shown = columns.ToList();
        foreach (var optional in columns.Where(c => c.DropOrder > 0).OrderByDescending(c => c.DropOrder))
        {
            if (shown.Sum(c => natural[c]) <= width)
            {
                break;
            }

            shown.Remove(optional);
        }

        return shown;
    }

    /// <summary>One resource: a two-column field/value table, a one-row CSV, or a JSON object.</summary>
    public void WriteItem<T>(T item, IReadOnlyList<Column<T>> fields, Func<T, JsonNode?> json)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(json(item));
                break;
            case OutputFormat.Csv:
                WriteCsv(fields.Select(c => c.Header).ToArray(), [fields.Select(c => c.Value(item)).ToArray()]);
                break;
            default:
                WriteTable(["Field", "Value"], fields.Select(f => new[] { f.Header, f.Value(item) }).Where(r => !string.IsNullOrEmpty(r[1])));
                break;
        }
    }

    public void WriteJson(JsonNode? node)
    {
        stdout.WriteLine(node is null ? "null" : node.ToJsonString(JsonOptions));
        stdout.Flush();
    }

    public void WriteCsv(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var csv = new CsvWriter(stdout, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var header in headers)
        {
            csv.WriteField(header);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell ?? string.Empty);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string? title = null)
    {
        // kubectl-style: headers and aligned columns, no box, so the table also reads well in a log or an e-mail.
        var table = new Table().Border(TableBorder.None);
        var materialised = rows.ToList();
        using var buffer = new StringWriter();
        var console = tableConsole(buffer);
        var widths = ColumnWidths(headers, materialised, console.Profile.Width);
        for (var i = 0; i < headers.Count; i++)
        {
            table.AddColumn(new TableColumn(new Text(Cut(headers[i], widths[i]), new Style(decoration: Decoration.Bold))) { Padding = new Padding(0, 0, 2, 0) });
        }

        foreach (var row in rows)
        {
            // Text, not Markup: patient names and notes must never be read as markup ("[" in a note).
            table.AddRow(row.Select((cell, i) => (IRenderable)new Text(Cut(cell ?? string.Empty, widths[i]))).ToArray());
        }

        // Rendered to a buffer first so that the padding Spectre adds after the last column can be trimmed.
        if (title is not null)
        {
            buffer.WriteLine(title);
        }

        console.Write(table);
        foreach (var line in buffer.ToString().Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0)
            {
                stdout.WriteLine(trimmed);
            }
        }

        stdout.Flush();
    }

    /// <summary>
    /// How wide each column may be so the table fits <paramref name="width"/>: a cell is cut with "…" rather than
    /// wrapped over lines that break the columns (-o csv or -o json give every value in full). The widest column gives
    /// way first, down to 12 characters, then the next widest, so short codes and times stay whole.
    /// </summary>
    internal static int[] ColumnWidths(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string?>> rows, int width)
    {
        const int Gap = 2;
        const int Floor = 12;
        var widths = headers.Select((h, i) => rows.Select(r => i < r.Count ? r[i]?.Length ?? 0 : 0).Append(h.Length).Max()).ToArray();
        var excess = widths.Sum() + (Gap * widths.Length) - width;
        foreach (var i in Enumerable.Range(0, widths.Length).OrderByDescending(i => widths[i]))
        {
            if (excess <= 0)
            {
                break;
            }

            var give = Math.Min(excess, Math.Max(0, widths[i] - Floor));
            widths[i] -= give;
            excess -= give;
        }

        return widths;
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..Math.Max(0, width - 1)] + "…";

    /// <summary>Raw text that is itself the data (a graph, a FHIR bundle).</summary>
    public void WriteText(string text)
    {
        stdout.Write(text);
        if (!text.EndsWith('\n'))
        {
            stdout.WriteLine();
        }

        stdout.Flush();
    }
}
