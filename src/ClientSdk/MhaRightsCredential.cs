namespace MhaRights.Client;

/// <summary>
/// A credential the client attaches to every call (every attempt, including retries) as the
/// <c>authorization</c> header: an API key (<c>ApiKey &lt;secret&gt;</c>) or an OAuth bearer token
/// (<c>Bearer &lt;token&gt;</c>).
/// </summary>
/// <remarks>
/// Create one with <see cref="FromApiKey(string)"/>, <see cref="FromBearerToken(string)"/> or
/// <see cref="FromBearerTokenProvider(Func{CancellationToken, ValueTask{string}})"/>, or derive from this class
/// for another scheme. <see cref="object.ToString"/> never reveals the secret.
/// </remarks>
public abstract class MhaRightsCredential
{
    /// <summary>Initializes a new instance of the <see cref="MhaRightsCredential"/> class, for derived credentials and mocking.</summary>
    protected MhaRightsCredential()
    {
    }

    /// <summary>An API key issued by the service (ApiKeyService.CreateApiKey); sent as <c>authorization: ApiKey &lt;secret&gt;</c>.</summary>
    /// <param name="secret">The key's secret, as returned once when the key was created.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">The secret is empty or contains white space or control characters.</exception>
    public static MhaRightsCredential FromApiKey(string secret) => new StaticCredential("ApiKey", Validate(secret, nameof(secret)));

    /// <summary>A fixed bearer token; sent as <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    /// <param name="token">The access token.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">The token is empty or contains white space or control characters.</exception>
    public static MhaRightsCredential FromBearerToken(string token) => new StaticCredential("Bearer", Validate(token, nameof(token)));

    /// <summary>
    /// A bearer token obtained before every attempt from <paramref name="tokenProvider"/>, so expiring tokens are
    /// refreshed. The provider should cache the token until shortly before it expires.
    /// </summary>
    /// <param name="tokenProvider">Returns the current access token (without the <c>Bearer</c> prefix).</param>
    /// <returns>The credential.</returns>
    public static MhaRightsCredential FromBearerTokenProvider(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return new TokenProviderCredential(tokenProvider);
    }

    /// <summary>Returns the value of the <c>authorization</c> header for the next attempt, for example <c>ApiKey k1.s3cr3t</c>.</summary>
    /// <param name="cancellationToken">Cancels obtaining the value.</param>
    /// <returns>The header value.</returns>
    public abstract ValueTask<string> GetAuthorizationValueAsync(CancellationToken cancellationToken);

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns>The scheme, never the secret.</returns>
    public override string ToString() => GetType().Name;

    private static string Validate(string value, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameterName);
        // A newline or space in a header value would let a secret split or inject headers.
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("The value must not contain white space or control characters.", parameterName);
        }

        return value;
    }

    private sealed class StaticCredential(string scheme, string secret) : MhaRightsCredential
    {
        private readonly string _value = $"{scheme} {secret}";

        public override ValueTask<string> GetAuthorizationValueAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_value);

        public override string ToString() => $"{scheme} credential";
    }

    private sealed class TokenProviderCredential(Func<CancellationToken, ValueTask<string>> provider) : MhaRightsCredential
    {
        public override async ValueTask<string> GetAuthorizationValueAsync(CancellationToken cancellationToken)
        {
            var token = await provider(cancellationToken).ConfigureAwait(false);
            return "Bearer " + Validate(token, "token");
        }

        public override string ToString() => "Bearer token provider credential";
    }
}
