using System.Net;

namespace MhaRights.Client.Internal;

/// <summary>
/// An immutable, validated copy of <see cref="MhaRightsClientOptions"/>, taken when a client is created so the
/// client never changes afterwards.
/// </summary>
internal sealed record ClientSettings(
    Uri? Address,
    MhaRightsCredential? Credential,
    TimeSpan? DefaultDeadline,
    int MaxRetries,
    TimeSpan RetryDelay,
    TimeSpan RetryMaxDelay,
    bool RetryReadsOnDeadlineExceeded,
    int? MaxReceiveMessageSize)
{
    /// <summary>Upper bound on retries: more than this only delays the caller's error handling.</summary>
    public const int MaxRetriesLimit = 10;

    public static ClientSettings From(MhaRightsClientOptions options, bool requireAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.Address;
        if (address is null)
        {
            if (requireAddress)
            {
                throw new ArgumentException("MhaRightsClientOptions.Address is required.", nameof(options));
            }
        }
        else
        {
            if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException($"MhaRightsClientOptions.Address must be an absolute http:// or https:// address, not '{address}'.", nameof(options));
            }

            if (options.Credential is not null && address.Scheme == Uri.UriSchemeHttp && !IsLoopback(address) && !options.AllowUnencryptedCredentials)
            {
                throw new ArgumentException(
                    $"Refusing to send credentials in clear text to {address.Host}: use an https:// address, or set " +
                    "MhaRightsClientOptions.AllowUnencryptedCredentials when TLS is terminated elsewhere on a trusted network.",
                    nameof(options));
            }
        }

        if (options.DefaultDeadline is { } deadline && deadline <= TimeSpan.Zero)
        {
            throw new ArgumentException("MhaRightsClientOptions.DefaultDeadline must be positive, or null for no deadline.", nameof(options));
        }

        var retry = options.Retry;
        if (retry.MaxRetries is < 0 or > MaxRetriesLimit)
        {
            throw new ArgumentException($"MhaRightsRetryOptions.MaxRetries must be between 0 and {MaxRetriesLimit}.", nameof(options));
        }

        if (retry.Delay <= TimeSpan.Zero || retry.MaxDelay < retry.Delay)
        {
            throw new ArgumentException("MhaRightsRetryOptions.Delay must be positive and MaxDelay at least Delay.", nameof(options));
        }

        if (options.MaxReceiveMessageSize is <= 0)
        {
            throw new ArgumentException("MhaRightsClientOptions.MaxReceiveMessageSize must be positive, or null for no limit.", nameof(options));
        }

        return new ClientSettings(
            address,
            options.Credential,
            options.DefaultDeadline,
            retry.MaxRetries,
            retry.Delay,
            retry.MaxDelay,
            retry.RetryReadsOnDeadlineExceeded,
            options.MaxReceiveMessageSize);
    }

    private static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
