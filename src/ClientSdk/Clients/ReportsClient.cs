using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Compliance reporting for auditors and MHA governance (mharights.v1.ReportService). Get it from
/// <see cref="MhaRightsClient.Reports"/>.
/// </summary>
public class ReportsClient
{
    private readonly CallPipeline _pipeline;
    private readonly ReportService.ReportServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="ReportsClient"/> class for mocking.</summary>
    protected ReportsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal ReportsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new ReportService.ReportServiceClient(invoker);
    }

    /// <summary>
    /// Computes the compliance measures for a period, optionally as of an earlier time (reproducible from the audit
    /// history). Large periods take time: raise <see cref="MhaRightsClientOptions.DefaultDeadline"/> if needed.
    /// </summary>
    /// <param name="request">The period, filters, as-of time and breakdowns.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ComplianceReport> GetComplianceReportAsync(GetComplianceReportRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("ReportService.GetComplianceReport", request, _grpc.GetComplianceReportAsync, cancellationToken);

    /// <summary>
    /// Renders the compliance report as JSON, CSV or self-contained HTML.
    /// </summary>
    /// <param name="request">The report parameters and the format.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rendered bytes and their content type.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<RenderedReport> RenderComplianceReportAsync(RenderComplianceReportRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("ReportService.RenderComplianceReport", request, _grpc.RenderComplianceReportAsync, cancellationToken);
}
