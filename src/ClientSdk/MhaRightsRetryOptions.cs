namespace MhaRights.Client;

/// <summary>
/// How transient failures are retried: <c>UNAVAILABLE</c> for every call, and <c>DEADLINE_EXCEEDED</c> for reads,
/// with exponential backoff and jitter. Writes are retried with the same <c>request_id</c>, so the server applies
/// them at most once (AIP-155).
/// </summary>
public class MhaRightsRetryOptions
{
    /// <summary>Gets or sets the number of retries after the first attempt.</summary>
    /// <value>The default value is 3. 0 disables retries.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential backoff (the median delay before the first retry).</summary>
    /// <value>The default value is 0.8 seconds.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets a value indicating whether reads (Get, List and other methods without a <c>request_id</c>) are
    /// retried when an attempt exceeds <see cref="MhaRightsClientOptions.DefaultDeadline"/>. Writes never are: the
    /// first attempt may still be running on the server.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryReadsOnDeadlineExceeded { get; set; } = true;
}
