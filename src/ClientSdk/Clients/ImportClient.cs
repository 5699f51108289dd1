using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Bulk import of existing detentions and rights history, many rows per call (mharights.v1.ImportService).
/// Get it from <see cref="MhaRightsClient.Import"/>.
/// </summary>
public class ImportClient
{
    private readonly CallPipeline _pipeline;
    private readonly ImportService.ImportServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="ImportClient"/> class for mocking.</summary>
    protected ImportClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal ImportClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new ImportService.ImportServiceClient(invoker);
    }

    /// <summary>
    /// Applies up to 1000 rows (patient, nearest relative, episode, end, explanation attempt) in one transaction,
    /// with the same rules, duties and audit events as the single-record methods. All rows or none: a bad row fails
    /// the call with <c>INVALID_ARGUMENT</c> whose field violations name it (<c>rows[17].patient.nhs_number</c>).
    /// Patients, episodes and attempts that already exist are matched and reported, never created twice.
    /// </summary>
    /// <param name="request">The rows. <c>request_id</c> is generated when empty and reused on every retry, so the batch is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per row, in request order.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ImportRowsResponse> ImportRowsAsync(ImportRowsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("ImportService.ImportRows", request, _grpc.ImportRowsAsync, cancellationToken);
}
