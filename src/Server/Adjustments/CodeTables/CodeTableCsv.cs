using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>One parsed data file: its <c># key: value</c> header and its rows.</summary>
internal sealed class CodeTableFile
{
    public CodeTableFile(string fileName, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<CodeTableRow> rows)
    {
        FileName = fileName;
        Metadata = metadata;
        Rows = rows;
    }

    public string FileName { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<CodeTableRow> Rows { get; }

    public string Version => Metadata[CodeTableCsv.VersionKey];

    public string Source => Metadata.GetValueOrDefault(CodeTableCsv.SourceKey, string.Empty);

    public CodeTableLoadException Error(string message) => new(FileName, 0, message);
}

/// <summary>One data row with typed accessors that fail with the file, line and column.</summary>
internal sealed class CodeTableRow
{
    private readonly IReadOnlyDictionary<string, int> _columns;
    private readonly string[] _values;

    public CodeTableRow(string fileName, int lineNumber, IReadOnlyDictionary<string, int> columns, string[] values)
    {
        FileName = fileName;
        LineNumber = lineNumber;
        _columns = columns;
        _values = values;
    }

    public string FileName { get; }

    public int LineNumber { get; }

    /// <summary>True when the file has this column.</summary>
    public bool HasColumn(string column) => _columns.ContainsKey(column);

    /// <summary>The cell as written (may be empty).</summary>
    public string Optional(string column) => _values[_columns[column]];

    /// <summary>The cell; fails when it is blank or has leading or trailing white space.</summary>
    public string Required(string column)
    {
        var value = Optional(column);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Error(column, "is empty");
        }

        if (!string.Equals(value, value.Trim(), StringComparison.Ordinal))
        {
            throw Error(column, $"has leading or trailing white space: '{value}'");
        }

        return value;
    }

    /// <summary>The cell as a boolean written "true" or "false".</summary>
    public bool Boolean(string column) => Optional(column) switch
    {
        "true" => true,
        "false" => false,
        var other => throw Error(column, $"must be 'true' or 'false', not '{other}'"),
    };

    /// <summary>The cell as an absolute http(s) URL.</summary>
    public string Url(string column)
    {
        var value = Required(column);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Error(column, $"must be an absolute http(s) URL, not '{value}'");
        }

        return value;
    }

    public CodeTableLoadException Error(string column, string message) =>
        new(FileName, LineNumber, $"column '{column}' {message}");

    public CodeTableLoadException Error(string message) => new(FileName, LineNumber, message);
}

/// <summary>Reads the CSV data files described in README.md with CsvHelper's RFC 4180 parser.</summary>
internal static class CodeTableCsv
{
    public const string TableKey = "table";
    public const string VersionKey = "version";
    public const string SourceKey = "source";

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        Delimiter = ",",
        DetectDelimiter = false,
        HasHeaderRecord = true,
        IgnoreBlankLines = true,
        TrimOptions = TrimOptions.None,
        Mode = CsvMode.RFC4180,
    };

    /// <summary>
    /// Parses one file. The leading <c># key: value</c> lines are the metadata (<c>table</c> must equal
    /// <paramref name="tableName"/>, <c>version</c> must be MAJOR.MINOR.PATCH); the next line is the header, which must
    /// hold exactly <paramref name="columns"/> in any order.
    /// </summary>
    public static CodeTableFile Read(string tableName, TextReader reader, IReadOnlyCollection<string> columns)
    {
        var fileName = CodeTableNames.FileName(tableName);
        var text = reader.ReadToEnd();
        var (metadata, metadataLines, body) = ReadMetadata(fileName, text);

        if (!metadata.TryGetValue(TableKey, out var declaredTable))
        {
            throw new CodeTableLoadException(fileName, 0, $"missing '# {TableKey}: {tableName}' header line");
        }

        if (!string.Equals(declaredTable, tableName, StringComparison.Ordinal))
        {
            throw new CodeTableLoadException(fileName, 0, $"header says table '{declaredTable}', expected '{tableName}'");
        }

        if (!metadata.TryGetValue(VersionKey, out var version))
        {
            throw new CodeTableLoadException(fileName, 0, $"missing '# {VersionKey}: MAJOR.MINOR.PATCH' header line");
        }

        if (!IsSemanticVersion(version))
        {
            throw new CodeTableLoadException(fileName, 0, $"version '{version}' is not MAJOR.MINOR.PATCH");
        }

        var rows = new List<CodeTableRow>();
        try
        {
            using var parser = new CsvParser(new StringReader(body), Configuration);
            if (!parser.Read() || parser.Record is null)
            {
                throw new CodeTableLoadException(fileName, metadataLines + 1, "missing header row");
            }

            var columnIndex = ReadHeader(fileName, metadataLines + parser.RawRow, parser.Record, columns);
            while (parser.Read())
            {
                var record = parser.Record ?? [];
                var line = metadataLines + parser.RawRow;
                if (record.Length != columnIndex.Count)
                {
                    throw new CodeTableLoadException(
                        fileName, line, $"has {record.Length} fields, expected {columnIndex.Count}");
                }

                rows.Add(new CodeTableRow(fileName, line, columnIndex, record));
            }
        }
        catch (CsvHelperException ex)
        {
            throw new CodeTableLoadException(fileName, 0, $"is not valid CSV: {ex.Message}", ex);
        }

        return new CodeTableFile(fileName, metadata, rows);
    }

    private static (Dictionary<string, string> Metadata, int Lines, string Body) ReadMetadata(string fileName, string text)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        var lines = 0;
        while (position < text.Length && text[position] == '#')
        {
            var end = text.IndexOf('\n', position);
            var next = end < 0 ? text.Length : end + 1;
            var line = text[(position + 1)..(end < 0 ? text.Length : end)].TrimEnd('\r').Trim();
            lines++;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new CodeTableLoadException(fileName, lines, "header comment must be '# key: value'");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (!key.All(c => c is (>= 'a' and <= 'z') or '_'))
            {
                throw new CodeTableLoadException(fileName, lines, $"header key '{key}' must be lower-case letters or '_'");
            }

            if (!metadata.TryAdd(key, value))
            {
                throw new CodeTableLoadException(fileName, lines, $"header key '{key}' appears twice");
            }

            position = next;
        }

        return (metadata, lines, text[position..]);
    }

    private static Dictionary<string, int> ReadHeader(
        string fileName, int line, string[] header, IReadOnlyCollection<string> columns)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!index.TryAdd(header[i], i))
            {
                throw new CodeTableLoadException(fileName, line, $"column '{header[i]}' appears twice in the header");
            }
        }

        var missing = columns.Where(c => !index.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new CodeTableLoadException(fileName, line, $"header lacks column(s) {string.Join(", ", missing)}");
        }

        var unexpected = index.Keys.Where(c => !columns.Contains(c)).ToArray();
        if (unexpected.Length > 0)
        {
            throw new CodeTableLoadException(
                fileName, line, $"header has unexpected column(s) {string.Join(", ", unexpected)}");
        }

        return index;
    }

    private static bool IsSemanticVersion(string version)
    {
        var parts = version.Split('.');
        return parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }
}
