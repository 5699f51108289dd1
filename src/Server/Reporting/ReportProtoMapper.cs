using Google.Protobuf.WellKnownTypes;
using MhaRights.Server.Api;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Reporting;

/// <summary>Domain report → mharights.v1.ComplianceReport (the renderers work on the wire message too).</summary>
public static class ReportProtoMapper
{
    public static V1.ComplianceReport ToProto(ComplianceReportResult report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var request = report.Request;
        var proto = new V1.ComplianceReport
        {
            Period = new V1.TimeRange { StartTime = Utc(request.Start), EndTime = Utc(request.End) },
            Hospital = request.Hospital ?? string.Empty,
            Ward = request.Ward ?? string.Empty,
            Provision = EnumMaps.ToWire(request.Provision),
            AsOfTime = Utc(report.AsOf),
            GeneratedTime = Utc(report.Generated),
            SuppressionThreshold = SmallNumberSuppression.Threshold,
        };
        proto.Measures.AddRange(report.Measures.Select(ToProto));
        foreach (var (measure, line) in proto.Measures.Zip(report.Summary))
        {
            AddSummary(measure, line);
        }

        if (report.PreviousPeriod is { } previous)
        {
            proto.PreviousPeriod = new V1.TimeRange { StartTime = Utc(previous.Start), EndTime = Utc(previous.End) };
        }

        proto.FlaggedPatients.AddRange(report.FlaggedPatients);
        proto.Notes.AddRange(report.Notes);
        return proto;
    }

    private static void AddSummary(V1.Measure measure, MeasureSummary line)
    {
        if (line.Target is { } target)
        {
            measure.Target = target;
        }

        if (line.PreviousValue is { } previous)
        {
            measure.PreviousValue = previous;
        }

        measure.RagStatus = (V1.RagStatus)(int)line.Rag;
        measure.Trend = (V1.Trend)(int)line.Trend;
    }

    private static V1.Measure ToProto(MeasureResult measure)
    {
        var definition = measure.Definition;
        var headline = measure.Headline;
        var proto = new V1.Measure
        {
            Id = definition.Id,
            Title = definition.Title,
            Kind = (V1.MeasureKind)(int)definition.Kind,
            LowerIsBetter = definition.LowerIsBetter,
            Definition = definition.Definition,
            Numerator = headline.Numerator,
            Denominator = headline.Denominator,
            Suppressed = headline.Suppressed,
        };
        if (headline.Percentage is { } percentage)
        {
            proto.Percentage = percentage;
        }

        if (headline.MedianHours is { } median)
        {
            proto.MedianHours = median;
        }

        if (headline.P90Hours is { } p90)
        {
            proto.P90Hours = p90;
        }

        foreach (var breakdown in measure.Breakdowns)
        {
            var b = new V1.Breakdown { Dimension = (V1.BreakdownDimension)(int)breakdown.Dimension };
            b.Rows.AddRange(breakdown.Rows.Select(ToProto));
            proto.Breakdowns.Add(b);
        }

        return proto;
    }

    private static V1.BreakdownRow ToProto(GroupFigures row)
    {
        var figures = row.Figures;
        var proto = new V1.BreakdownRow
        {
            Group = row.Group.Key,
            Label = row.Group.Label,
            Numerator = figures.Numerator,
            Denominator = figures.Denominator,
            Suppressed = figures.Suppressed,
            SuppressionReason = (V1.SuppressionReason)(int)figures.Suppression,
        };
        if (figures.Percentage is { } percentage)
        {
            proto.Percentage = percentage;
        }

        if (figures.MedianHours is { } median)
        {
            proto.MedianHours = median;
        }

        if (figures.P90Hours is { } p90)
        {
            proto.P90Hours = p90;
        }

        return proto;
    }

    private static Timestamp Utc(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
