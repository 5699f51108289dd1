using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Google.Protobuf;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Reporting.Rendering;

/// <summary>The ComplianceReport message in proto3 JSON (field names in lowerCamelCase, enums by name), indented.</summary>
public static class JsonReportRenderer
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation("  "));

    public static byte[] Render(V1.ComplianceReport report) => Encoding.UTF8.GetBytes(Formatter.Format(report));
}

/// <summary>
/// CSV (RFC 4180, UTF-8, comma, CRLF): one row per measure headline (dimension TOTAL) and one per breakdown row.
/// Suppressed rows carry empty numbers and suppressed=true. Text cells that a spreadsheet would run as a formula
/// (starting = + - @) are prefixed with an apostrophe.
/// </summary>
public static class CsvReportRenderer
{
    public static readonly string[] Header =
    [
        "measure_id", "measure_title", "kind", "dimension", "group", "label", "numerator", "denominator",
        "percentage", "median_hours", "p90_hours", "suppressed", "suppression_reason", "as_of_time",
    ];

    public static byte[] Render(V1.ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", InjectionOptions = InjectionOptions.Escape };
        using (var csv = new CsvWriter(writer, configuration))
        {
            foreach (var name in Header)
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            var asOf = report.AsOfTime?.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;
            foreach (var measure in report.Measures)
            {
                var kind = WireNames.Short(measure.Kind, "MEASURE_KIND_");
                Write(csv, measure.Id, measure.Title, kind, "TOTAL", string.Empty, string.Empty, measure.Suppressed, V1.SuppressionReason.Unspecified,
                    measure.Numerator, measure.Denominator, measure.HasPercentage ? measure.Percentage : null,
                    measure.HasMedianHours ? measure.MedianHours : null, measure.HasP90Hours ? measure.P90Hours : null, asOf);
                foreach (var breakdown in measure.Breakdowns)
                {
                    var dimension = WireNames.Short(breakdown.Dimension, "BREAKDOWN_DIMENSION_");
                    foreach (var row in breakdown.Rows)
                    {
                        Write(csv, measure.Id, measure.Title, kind, dimension, row.Group, row.Label, row.Suppressed, row.SuppressionReason,
                            row.Numerator, row.Denominator, row.HasPercentage ? row.Percentage : null,
                            row.HasMedianHours ? row.MedianHours : null, row.HasP90Hours ? row.P90Hours : null, asOf);
                    }
                }
            }
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(writer.ToString());
    }

    private static void Write(
        CsvWriter csv, string id, string title, string kind, string dimension, string group, string label, bool suppressed, V1.SuppressionReason reason,
        long numerator, long denominator, double? percentage, double? median, double? p90, string asOf)
    {
        csv.WriteField(id);
        csv.WriteField(title);
        csv.WriteField(kind);
        csv.WriteField(dimension);
        csv.WriteField(group);
        csv.WriteField(label);
        csv.WriteField(suppressed ? string.Empty : numerator.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(suppressed ? string.Empty : denominator.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(Number(percentage));
        csv.WriteField(Number(median));
        csv.WriteField(Number(p90));
        csv.WriteField(suppressed ? "true" : "false");
        csv.WriteField(reason == V1.SuppressionReason.Unspecified ? string.Empty : WireNames.Short(reason, "SUPPRESSION_REASON_"));
        csv.WriteField(asOf);
        csv.NextRecord();
    }

    private static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? string.Empty;
}
