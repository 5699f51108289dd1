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

/// <summary>One column of a table or CSV: a header and how to get the cell text from an item.</summary>
internal sealed record Column<T>(string Header, Func<T, string?> Value);

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

                WriteTable(columns.Select(c => c.Header).ToArray(), items.Select(i => columns.Select(c => c.Value(i)).ToArray()));
                break;
        }
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
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))) { Padding = new Padding(0, 0, 2, 0) });
        }

        foreach (var row in rows)
        {
            // Text, not Markup: patient names and notes must never be read as markup ("[" in a note).
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell ?? string.Empty)).ToArray());
        }

        // Rendered to a buffer first so that the padding Spectre adds after the last column can be trimmed.
        using var buffer = new StringWriter();
        if (title is not null)
        {
            buffer.WriteLine(title);
        }


        tableConsole(buffer).Write(table);
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
