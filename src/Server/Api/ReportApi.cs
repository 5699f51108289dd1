using Google.Protobuf;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Rendering;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.ReportService: validates the request, computes the report, maps or renders it. Read-only.</summary>
public sealed class ReportApi(ComplianceReportService reports, ReportTargets targets, TimeProvider time) : ReportService.ReportServiceBase
{
    /// <summary>Longest period one report may cover (bounds the work and the month trend).</summary>
    public const int MaxPeriodYears = 5;

    public override async Task<ComplianceReport> GetComplianceReport(GetComplianceReportRequest request, ServerCallContext context)
    {
        var parameters = Validate(request, prefix: string.Empty, format: null);
        var result = await reports.ComputeWithSummaryAsync(parameters, targets, context.CancellationToken);
        return ReportProtoMapper.ToProto(result);
    }

    public override async Task<RenderedReport> RenderComplianceReport(RenderComplianceReportRequest request, ServerCallContext context)
    {
        var parameters = Validate(request.Report, prefix: "report.", format: request.Format);
        var result = await reports.ComputeWithSummaryAsync(parameters, targets, context.CancellationToken);
        var proto = ReportProtoMapper.ToProto(result);
        var (contentType, extension, bytes) = request.Format switch
        {
            ReportFormat.Json => ("application/json", "json", JsonReportRenderer.Render(proto)),
            ReportFormat.Csv => ("text/csv; charset=utf-8", "csv", CsvReportRenderer.Render(proto)),
            _ => ("text/html; charset=utf-8", "html", HtmlReportRenderer.Render(proto)),
        };
        return new RenderedReport
        {
            ContentType = contentType,
            Content = ByteString.CopyFrom(bytes),
            FileName = $"compliance-report-{parameters.Start:yyyy-MM-dd}-to-{parameters.End:yyyy-MM-dd}.{extension}",
        };
    }

    /// <summary>
    /// Every violation at once (INVALID_ARGUMENT naming each field): period required with start before end and at
    /// most <see cref="MaxPeriodYears"/> years; hospital and ward are codes; enums defined; as_of_time not in the future.
    /// </summary>
    private ReportRequest Validate(GetComplianceReportRequest? request, string prefix, ReportFormat? format)
    {
        var v = new RequestValidator();
        if (format is { } f)
        {
            v.DefinedEnum("format", f);
        }

        if (request is null)
        {
            v.Add(prefix.TrimEnd('.'), "is required");
            v.ThrowIfInvalid();
        }

        DateTime? start = null, end = null;
        if (request!.Period is null)
        {
            v.Add($"{prefix}period", "is required");
        }
        else
        {
            start = v.Timestamp($"{prefix}period.start_time", request.Period.StartTime, required: true);
            end = v.Timestamp($"{prefix}period.end_time", request.Period.EndTime, required: true);
            if (start is not null && end is not null)
            {
                if (end <= start)
                {
                    v.Add($"{prefix}period.end_time", "must be after period.start_time");
                }
                else if (start.Value.Year + MaxPeriodYears > 9999 || end > start.Value.AddYears(MaxPeriodYears))
                {
                    v.Add($"{prefix}period", $"must be at most {MaxPeriodYears} years long");
                }
            }
        }

        v.OptionalCode($"{prefix}hospital", request.Hospital, 64);
        v.OptionalCode($"{prefix}ward", request.Ward, 64);
        var provision = v.Capture(() => EnumMaps.OptionalProvision($"{prefix}provision", request.Provision));
        DateTime? asOf = null;
        if (request.AsOfTime is not null)
        {
            asOf = v.Timestamp($"{prefix}as_of_time", request.AsOfTime, required: false);
            if (asOf is not null && asOf > time.GetUtcNow().UtcDateTime + RequestValidator.FutureTolerance)
            {
                v.Add($"{prefix}as_of_time", "must not be in the future");
            }
        }

        var dimensions = new List<ReportDimension>();
        for (var i = 0; i < request.Breakdowns.Count; i++)
        {
            var dimension = request.Breakdowns[i];
            v.DefinedEnum($"{prefix}breakdowns[{i}]", dimension);
            dimensions.Add((ReportDimension)(int)dimension);
        }

        v.ThrowIfInvalid();
        return new ReportRequest(
            start!.Value,
            end!.Value,
            RequestValidator.OrNull(request.Hospital),
            RequestValidator.OrNull(request.Ward),
            provision,
            asOf,
            dimensions);
    }
}
