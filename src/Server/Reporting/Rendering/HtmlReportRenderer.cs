using System.Globalization;
using System.Net;
using System.Text;
using MhaRights.Server.Common;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Reporting.Rendering;

/// <summary>
/// A self-contained HTML report for people: one file, inline CSS and inline SVG charts (a monthly trend per measure
/// and a bar chart per breakdown), no scripts and no external assets; a Content-Security-Policy forbids loading
/// anything. Times are shown in Europe/London. Every chart is followed by its numbers in a table (accessibility).
/// </summary>
public static class HtmlReportRenderer
{
    private const int TrendWidth = 640;
    private const int TrendHeight = 220;
    private const int BarLabelWidth = 230;
    private const int BarAreaWidth = 330;
    private const int BarRowHeight = 22;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string Css = """
        body{font-family:Arial,Helvetica,sans-serif;color:#212b32;margin:24px;max-width:1000px}
        h1{color:#003087;font-size:26px}h2{color:#003087;font-size:20px;margin-top:36px;border-top:2px solid #005eb8;padding-top:12px}
        h3{font-size:15px;margin:18px 0 4px}table{border-collapse:collapse;margin:8px 0;font-size:13px}
        th,td{border:1px solid #d8dde0;padding:3px 8px;text-align:left}td.n{text-align:right}
        .meta{color:#4c6272;font-size:14px}.definition{font-size:13px;color:#4c6272}.suppressed{color:#768692;font-style:italic}
        svg{display:block;margin:6px 0}svg text{font-family:Arial,Helvetica,sans-serif;font-size:11px;fill:#212b32}
        .axis{stroke:#768692;stroke-width:1}.grid{stroke:#e8edee;stroke-width:1}.trend-line{fill:none;stroke:#005eb8;stroke-width:2}
        .trend-line.p90{stroke:#ed8b00;stroke-dasharray:4 3}.point{fill:#005eb8}.point.p90{fill:#ed8b00}
        .bar{fill:#005eb8}.bar.lower{fill:#ed8b00}.marker{stroke:#212b32;stroke-width:2}.gap{fill:#768692}
        details{margin:4px 0 12px}summary{cursor:pointer;color:#005eb8}
        .summary-page table{font-size:12px;width:100%}.summary-page td,.summary-page th{padding:3px 6px}
        .rag{display:inline-block;min-width:62px;padding:1px 6px;border-radius:3px;font-weight:bold;text-align:center}
        .rag-green{background:#007f3b;color:#fff}.rag-amber{background:#ffb81c;color:#212b32}.rag-red{background:#d5281b;color:#fff}
        .rag-not-rated{background:#e8edee;color:#4c6272}.trend{white-space:nowrap}
        .collapsed{margin:10px 0;padding:6px 8px;border-left:4px solid #d8dde0;color:#4c6272;font-size:14px}
        @page{size:A4;margin:14mm}
        @media print{body{margin:0;max-width:none}.summary-page{break-after:page}h2{break-after:avoid}svg,table,.collapsed{break-inside:avoid}
        a{color:inherit;text-decoration:none}details>summary{display:none}}
        """;

    public static byte[] Render(V1.ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        var period = $"{LondonTime.Format(report.Period.StartTime.ToDateTime())} to {LondonTime.Format(report.Period.EndTime.ToDateTime())}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(Invariant, $"<title>MHA rights compliance report {E(period)}</title>\n<style>{Css}</style>\n</head>\n<body>\n");
        html.Append("<h1>Mental Health Act rights compliance report</h1>\n<p class=\"meta\">");
        html.Append(Invariant, $"Episodes starting {E(period)} (end exclusive)");
        if (report.Hospital.Length > 0)
        {
            html.Append(Invariant, $" &middot; hospital {E(report.Hospital)}");
        }

        if (report.Ward.Length > 0)
        {
            html.Append(Invariant, $" &middot; ward {E(report.Ward)}");
        }

        if (report.Provision != V1.Provision.Unspecified)
        {
            html.Append(Invariant, $" &middot; {E(WireNames.Of(report.Provision))}");
        }

        html.Append(Invariant, $"<br>Record as of {E(LondonTime.Format(report.AsOfTime.ToDateTime()))} &middot; generated {E(LondonTime.Format(report.GeneratedTime.ToDateTime()))}</p>\n");

        // The auditor's one page comes first; the notes, definitions and charts follow it.
        Summary(html, report);
        html.Append("<h2>Notes</h2>\n<ul>\n");
        foreach (var note in report.Notes)
        {
            html.Append(Invariant, $"<li>{E(note)}</li>\n");
        }

        html.Append("</ul>\n");
        var index = 0;
        foreach (var measure in report.Measures)
        {
            Measure(html, measure, index++);
        }

        if (report.FlaggedPatients.Count > 0)
        {
            html.Append(Invariant, $"<h2 id=\"flagged\">Patients with an active reasonable adjustment flag ({report.FlaggedPatients.Count})</h2>\n<details><summary>List</summary><ul>\n");
            foreach (var patient in report.FlaggedPatients)
            {
                html.Append(Invariant, $"<li>{E(patient)}</li>\n");
            }

            html.Append("</ul></details>\n");
        }

        html.Append("</body>\n</html>\n");
        return new UTF8Encoding(false).GetBytes(html.ToString());
    }

    /// <summary>
    /// One page: every measure with its result, target, RAG status and trend against the previous period (an arrow
    /// for the direction of the value, a word for whether that is better). Words as well as colours, so the page reads
    /// in black and white and to a screen reader.
    /// </summary>
    private static void Summary(StringBuilder html, V1.ComplianceReport report)
    {
        html.Append("<section class=\"summary-page\" id=\"summary\">\n<h2>Summary</h2>\n");
        if (report.PreviousPeriod is { } previous)
        {
            html.Append(Invariant, $"<p class=\"meta\">Trend: compared with episodes starting {E(LondonTime.Format(previous.StartTime.ToDateTime()))} to {E(LondonTime.Format(previous.EndTime.ToDateTime()))}, counted the same way. Targets are trust settings.</p>\n");
        }

        html.Append("<table>\n<thead><tr><th>Measure</th><th>Result</th><th>Target</th><th>Status</th><th>Trend</th></tr></thead>\n<tbody>\n");
        foreach (var m in report.Measures)
        {
            html.Append(Invariant, $"<tr class=\"summary-row\" data-measure=\"{E(m.Id)}\"><td><a href=\"#m-{E(m.Id)}\">{E(m.Title)}</a>{(m.LowerIsBetter ? " (lower is better)" : string.Empty)}</td>");
            html.Append(Invariant, $"<td>{(m.Suppressed ? "<span class=\"suppressed\">suppressed (fewer than 5)</span>" : E(Headline(m)) + (m.Kind == V1.MeasureKind.Ratio && m.HasPercentage ? string.Create(Invariant, $" ({m.Numerator}/{m.Denominator})") : string.Empty))}</td>");
            html.Append(Invariant, $"<td>{(m.HasTarget ? E(TargetText(m)) : "none")}</td>");
            var (ragClass, ragText) = Rag(m.RagStatus);
            html.Append(Invariant, $"<td><span class=\"rag {ragClass}\">{ragText}</span></td>");
            html.Append(Invariant, $"<td class=\"trend\">{E(TrendText(m))}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string TargetText(V1.Measure m) => m.Kind == V1.MeasureKind.Duration
        ? $"median \u2264 {F(m.Target)} h"
        : m.LowerIsBetter ? $"\u2264 {F(m.Target)}%" : $"\u2265 {F(m.Target)}%";

    private static (string CssClass, string Text) Rag(V1.RagStatus status) => status switch
    {
        V1.RagStatus.Green => ("rag-green", "Green"),
        V1.RagStatus.Amber => ("rag-amber", "Amber"),
        V1.RagStatus.Red => ("rag-red", "Red"),
        _ => ("rag-not-rated", "Not rated"),
    };

    /// <summary>"▲ better (was 70%)": the arrow is the direction of the value, the word says whether that is good.</summary>
    public static string TrendText(V1.Measure m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var was = m.HasPreviousValue ? $" (was {F(m.PreviousValue)}{Unit(m)})" : string.Empty;
        var valueRose = m.Trend switch
        {
            V1.Trend.Improving => !m.LowerIsBetter,
            V1.Trend.Worsening => m.LowerIsBetter,
            _ => (bool?)null,
        };
        return m.Trend switch
        {
            V1.Trend.Improving or V1.Trend.Worsening => $"{(valueRose == true ? "\u25B2" : "\u25BC")} {(m.Trend == V1.Trend.Improving ? "better" : "worse")}{was}",
            V1.Trend.Steady => $"\u25B6 steady{was}",
            _ => $"\u2013 no comparison{was}",
        };
    }

    private static string Unit(V1.Measure m) => m.Kind switch
    {
        V1.MeasureKind.Duration => " h",
        V1.MeasureKind.Count => string.Empty,
        _ => "%",
    };

    /// <summary>Every figure withheld: the headline and every row of every breakdown (so a chart would be empty).</summary>
    private static bool FullySuppressed(V1.Measure m) =>
        m.Suppressed && m.Breakdowns.All(b => b.Rows.All(r => r.Suppressed));

    private static void Measure(StringBuilder html, V1.Measure measure, int index)
    {
        if (FullySuppressed(measure))
        {
            // Nothing to draw: one line instead of a page of empty axes and "suppressed" rows.
            html.Append(Invariant, $"<p class=\"collapsed\" id=\"m-{E(measure.Id)}\"><strong>{E(measure.Title)}</strong>: every figure suppressed (fewer than 5 in the period and in each group).</p>\n");
            return;
        }

        html.Append(Invariant, $"<section class=\"measure\" id=\"m-{E(measure.Id)}\">\n<h2>{E(measure.Title)}{(measure.LowerIsBetter ? " <small>(lower is better)</small>" : string.Empty)}</h2>\n");
        html.Append(Invariant, $"<p><strong>{E(measure.Suppressed ? "Suppressed (fewer than 5)" : Headline(measure))}</strong>");
        if (!measure.Suppressed)
        {
            html.Append(Invariant, $" &middot; {measure.Numerator} of {measure.Denominator}");
        }

        html.Append(Invariant, $"</p>\n<p class=\"definition\">{E(measure.Definition)}</p>\n");
        var month = measure.Breakdowns.FirstOrDefault(b => b.Dimension == V1.BreakdownDimension.Month);
        if (month is not null)
        {
            html.Append("<h3>Monthly trend</h3>\n");
            Trend(html, measure, month, $"t{index}");
        }

        var chart = 0;
        foreach (var breakdown in measure.Breakdowns.Where(b => b.Dimension != V1.BreakdownDimension.Month))
        {
            html.Append(Invariant, $"<h3>By {E(DimensionTitle(breakdown.Dimension))}</h3>\n");
            Bars(html, measure, breakdown, $"b{index}-{chart++}");
        }

        html.Append("</section>\n");
    }

    /// <summary>Line chart by month: percentage (ratio) or median and p90 hours (duration); suppressed months leave gaps.</summary>
    private static void Trend(StringBuilder html, V1.Measure measure, V1.Breakdown months, string id)
    {
        // Room on the right for the last month's centred label, on the left for "100%" / "1000h".
        const int left = 56, right = 40, top = 14, bottom = 46;
        var plotWidth = TrendWidth - left - right;
        var plotHeight = TrendHeight - top - bottom;
        var isDuration = measure.Kind == V1.MeasureKind.Duration;
        var rows = months.Rows;
        var max = isDuration ? NiceMax(rows.Where(r => r.HasP90Hours).Select(r => r.P90Hours).DefaultIfEmpty(1).Max()) : 100.0;
        double X(int i) => left + (rows.Count == 1 ? plotWidth / 2.0 : plotWidth * i / (double)(rows.Count - 1));
        double Y(double v) => top + plotHeight - (plotHeight * v / max);

        html.Append(Invariant, $"<svg class=\"chart trend\" id=\"{id}\" width=\"{TrendWidth}\" height=\"{TrendHeight}\" viewBox=\"0 0 {TrendWidth} {TrendHeight}\" role=\"img\" aria-labelledby=\"{id}-title\">\n");
        html.Append(Invariant, $"<title id=\"{id}-title\">{E(measure.Title)}: monthly trend{(isDuration ? " (median and 90th percentile hours)" : " (%)")}</title>\n");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = max * tick / 4;
            var y = Y(value);
            html.Append(Invariant, $"<line class=\"grid\" x1=\"{left}\" y1=\"{F(y)}\" x2=\"{TrendWidth - right}\" y2=\"{F(y)}\"/>");
            html.Append(Invariant, $"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(value)}{(isDuration ? "h" : "%")}</text>\n");
        }

        html.Append(Invariant, $"<line class=\"axis\" x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{TrendWidth - right}\" y2=\"{top + plotHeight}\"/>\n");
        html.Append(Invariant, $"<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + plotHeight}\"/>\n");
        var step = Math.Max(1, (int)Math.Ceiling(rows.Count / 12.0));
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % step == 0)
            {
                html.Append(Invariant, $"<text x=\"{F(X(i))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{E(rows[i].Group)}</text>\n");
            }

            if (rows[i].Suppressed)
            {
                html.Append(Invariant, $"<rect class=\"gap\" x=\"{F(X(i) - 2)}\" y=\"{top + plotHeight - 4}\" width=\"4\" height=\"4\"><title>{E(rows[i].Label)}: suppressed</title></rect>\n");
            }
        }

        Series(html, rows, r => isDuration ? (r.HasMedianHours ? r.MedianHours : null) : (r.HasPercentage ? r.Percentage : null), X, Y, string.Empty, isDuration ? "h" : "%");
        if (isDuration)
        {
            Series(html, rows, r => r.HasP90Hours ? r.P90Hours : null, X, Y, " p90", "h");
            html.Append(Invariant, $"<text x=\"{left}\" y=\"{TrendHeight - 8}\">Solid: median hours; dashed: 90th percentile; grey squares: suppressed months.</text>\n");
        }
        else
        {
            html.Append(Invariant, $"<text x=\"{left}\" y=\"{TrendHeight - 8}\">Percentage by month of episode start; grey squares: suppressed months.</text>\n");
        }

        html.Append("</svg>\n");
        Table(html, measure, months);
    }

    private static void Series(StringBuilder html, IList<V1.BreakdownRow> rows, Func<V1.BreakdownRow, double?> value, Func<int, double> x, Func<double, double> y, string cssClass, string unit)
    {
        var segment = new List<string>();
        void Flush()
        {
            if (segment.Count > 1)
            {
                html.Append(Invariant, $"<polyline class=\"trend-line{cssClass}\" points=\"{string.Join(' ', segment)}\"/>\n");
            }

            segment.Clear();
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (value(rows[i]) is not { } v)
            {
                Flush();
                continue;
            }

            segment.Add($"{F(x(i))},{F(y(v))}");
            html.Append(Invariant, $"<circle class=\"point{cssClass}\" cx=\"{F(x(i))}\" cy=\"{F(y(v))}\" r=\"3\"><title>{E(rows[i].Label)}: {F(v)}{unit}</title></circle>\n");
        }

        Flush();
    }

    /// <summary>Horizontal bars per group: percentage (ratio) or median hours with a p90 marker (duration).</summary>
    private static void Bars(StringBuilder html, V1.Measure measure, V1.Breakdown breakdown, string id)
    {
        var isDuration = measure.Kind == V1.MeasureKind.Duration;
        var rows = breakdown.Rows;
        var max = isDuration ? NiceMax(rows.Where(r => r.HasP90Hours).Select(r => r.P90Hours).DefaultIfEmpty(1).Max()) : 100.0;
        // The value label after a full-length bar ("median 120.5h (p90 480h)") must not be cut off.
        var width = BarLabelWidth + BarAreaWidth + 170;
        var height = Math.Max(1, rows.Count) * BarRowHeight + 8;
        html.Append(Invariant, $"<svg class=\"chart bars\" id=\"{id}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\">\n");
        html.Append(Invariant, $"<title id=\"{id}-title\">{E(measure.Title)} by {E(DimensionTitle(breakdown.Dimension))}</title>\n");
        html.Append(Invariant, $"<line class=\"axis\" x1=\"{BarLabelWidth}\" y1=\"0\" x2=\"{BarLabelWidth}\" y2=\"{height - 4}\"/>\n");
        if (rows.Count == 0)
        {
            html.Append(Invariant, $"<text x=\"{BarLabelWidth + 6}\" y=\"15\" class=\"suppressed\">No episodes in this breakdown.</text>\n");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = (i * BarRowHeight) + 4;
            html.Append(Invariant, $"<text x=\"{BarLabelWidth - 6}\" y=\"{y + 13}\" text-anchor=\"end\">{E(Truncate(row.Label, 34))}</text>\n");
            if (row.Suppressed)
            {
                var why = row.SuppressionReason == V1.SuppressionReason.Secondary ? "suppressed (to protect another group)" : "suppressed (fewer than 5)";
                html.Append(Invariant, $"<text x=\"{BarLabelWidth + 6}\" y=\"{y + 13}\" class=\"suppressed\">{why}</text>\n");
                continue;
            }

            var value = isDuration ? (row.HasMedianHours ? row.MedianHours : 0) : (row.HasPercentage ? row.Percentage : 0);
            var length = Math.Max(1.0, BarAreaWidth * value / max);
            var label = isDuration ? $"{F(value)}h (p90 {F(row.P90Hours)}h)" : $"{F(value)}% ({row.Numerator}/{row.Denominator})";
            html.Append(Invariant, $"<rect class=\"bar{(measure.LowerIsBetter ? " lower" : string.Empty)}\" x=\"{BarLabelWidth}\" y=\"{y + 2}\" width=\"{F(length)}\" height=\"{BarRowHeight - 6}\"><title>{E(row.Label)}: {E(label)}</title></rect>\n");
            if (isDuration && row.HasP90Hours)
            {
                var px = BarLabelWidth + (BarAreaWidth * row.P90Hours / max);
                html.Append(Invariant, $"<line class=\"marker\" x1=\"{F(px)}\" y1=\"{y}\" x2=\"{F(px)}\" y2=\"{y + BarRowHeight - 2}\"/>\n");
            }

            html.Append(Invariant, $"<text x=\"{F(BarLabelWidth + length + 6)}\" y=\"{y + 13}\">{E(label)}</text>\n");
        }

        html.Append("</svg>\n");
        Table(html, measure, breakdown);
    }

    private static void Table(StringBuilder html, V1.Measure measure, V1.Breakdown breakdown)
    {
        var isDuration = measure.Kind == V1.MeasureKind.Duration;
        html.Append(Invariant, $"<details><summary>Numbers by {E(DimensionTitle(breakdown.Dimension))}</summary>\n<table>\n<thead><tr><th>Group</th><th>Numerator</th><th>Denominator</th>");
        html.Append(isDuration ? "<th>Median hours</th><th>90th percentile hours</th>" : "<th>%</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in breakdown.Rows)
        {
            html.Append(Invariant, $"<tr><td>{E(row.Label)}</td>");
            if (row.Suppressed)
            {
                html.Append(Invariant, $"<td class=\"suppressed\" colspan=\"{(isDuration ? 4 : 3)}\">suppressed</td></tr>\n");
                continue;
            }

            html.Append(Invariant, $"<td class=\"n\">{row.Numerator}</td><td class=\"n\">{row.Denominator}</td>");
            html.Append(isDuration
                ? string.Create(Invariant, $"<td class=\"n\">{(row.HasMedianHours ? F(row.MedianHours) : string.Empty)}</td><td class=\"n\">{(row.HasP90Hours ? F(row.P90Hours) : string.Empty)}</td>")
                : string.Create(Invariant, $"<td class=\"n\">{(row.HasPercentage ? F(row.Percentage) : string.Empty)}</td>"));
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</details>\n");
    }

    private static string Headline(V1.Measure m) => m.Kind switch
    {
        V1.MeasureKind.Duration => m.HasMedianHours ? $"median {F(m.MedianHours)} h, 90th percentile {F(m.P90Hours)} h" : "no values",
        V1.MeasureKind.Count => m.Numerator.ToString(Invariant),
        _ => m.HasPercentage ? $"{F(m.Percentage)}%" : "no duties in scope",
    };

    private static string DimensionTitle(V1.BreakdownDimension dimension) => dimension switch
    {
        V1.BreakdownDimension.EthnicCategory => "ethnic category",
        V1.BreakdownDimension.EthnicGroup => "broad ethnic group",
        V1.BreakdownDimension.Sex => "sex",
        V1.BreakdownDimension.AgeBand => "age band at episode start",
        V1.BreakdownDimension.Provision => "provision",
        V1.BreakdownDimension.Month => "month",
        V1.BreakdownDimension.AdjustmentCategory => "adjustment category",
        V1.BreakdownDimension.Impairment => "impairment",
        _ => dimension.ToString(),
    };

    private static double NiceMax(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "\u2026";

    private static string F(double value) => value.ToString("0.#", Invariant);

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
