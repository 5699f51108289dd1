using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// API key administration (mharights.v1.ApiKeyService). Keys are stored only as salted hashes; the secret is
/// returned once, at creation. Get it from <see cref="MhaRightsClient.ApiKeys"/>.
/// </summary>
public class ApiKeysClient
{
    private readonly CallPipeline _pipeline;
    private readonly ApiKeyService.ApiKeyServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="ApiKeysClient"/> class for mocking.</summary>
    protected ApiKeysClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal ApiKeysClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new ApiKeyService.ApiKeyServiceClient(invoker);
    }

    /// <summary>
    /// Creates an API key for a role. The response carries the secret once: store it (for
    /// <see cref="MhaRightsCredential.FromApiKey(string)"/>) and never log it.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key's metadata and its secret.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<CreateApiKeyResponse> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("ApiKeyService.CreateApiKey", request, _grpc.CreateApiKeyAsync, cancellationToken);

    /// <summary>
    /// Lists API keys (never their secrets).
    /// </summary>
    /// <param name="request">The page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The keys, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<ApiKey> ListApiKeysAsync(ListApiKeysRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("ApiKeyService.ListApiKeys", request, _grpc.ListApiKeysAsync, r => r.ApiKeys, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Revokes an API key; further calls with it fail with <c>UNAUTHENTICATED</c>.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revoked key.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ApiKey> RevokeApiKeyAsync(RevokeApiKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("ApiKeyService.RevokeApiKey", request, _grpc.RevokeApiKeyAsync, cancellationToken);
}
