using MhaRights.Client.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MhaRights.Client;

/// <summary>
/// Settings for a <see cref="MhaRightsClient"/>: where the server is, how to authenticate, how long a call may
/// take and how transient failures are retried.
/// </summary>
/// <remarks>
/// The client copies these values when it is created, so changing an options object afterwards does not affect
/// a client that already exists (clients are immutable and safe to share between threads).
/// </remarks>
public class MhaRightsClientOptions
{
    /// <summary>
    /// Reads options from a configuration section, for example <c>configuration.GetSection("MhaRights")</c>:
    /// <c>Address</c>; one credential, <c>ApiKey</c>, <c>ApiKeyFile</c> (a file holding the key) or <c>BearerToken</c>;
    /// <c>DefaultDeadline</c> (<c>00:00:30</c>, or <c>none</c>); <c>MaxReceiveMessageSize</c>;
    /// <c>AllowUnencryptedCredentials</c>; and <c>Retry:MaxRetries</c>, <c>Retry:Delay</c>, <c>Retry:MaxDelay</c>,
    /// <c>Retry:RetryReadsOnDeadlineExceeded</c>. Keys that are absent keep their defaults.
    /// </summary>
    /// <param name="configuration">The section holding the settings.</param>
    /// <returns>New options.</returns>
    /// <exception cref="InvalidOperationException">A value cannot be read (the message names the key, never the value).</exception>
    public static MhaRightsClientOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new MhaRightsClientOptions();
        ConfigurationBinding.Bind(configuration, options);
        return options;
    }

    /// <summary>
    /// Gets or sets the server address, for example <c>https://mharights.example-trust.nhs.uk</c>.
    /// </summary>
    /// <value>Required (except when the client is built over a caller-supplied <c>CallInvoker</c>).</value>
    public Uri? Address { get; set; }

    /// <summary>
    /// Gets or sets the credential attached to every call as the <c>authorization</c> header; see
    /// <see cref="MhaRightsCredential.FromApiKey(string)"/> and <see cref="MhaRightsCredential.FromBearerToken(string)"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: calls are anonymous.</value>
    public MhaRightsCredential? Credential { get; set; }

    /// <summary>
    /// Gets or sets how long one attempt of a call may take. It is sent to the server as the gRPC deadline, so
    /// the server stops the work when it passes, and the attempt ends with <c>DEADLINE_EXCEEDED</c>.
    /// </summary>
    /// <value>
    /// The default value is 30 seconds. <see langword="null"/> means no deadline (the call then ends only when
    /// the server answers or the caller's <see cref="CancellationToken"/> is cancelled).
    /// </value>
    /// <remarks>
    /// The deadline applies to each attempt, not to the whole call with its retries: to bound the whole call,
    /// pass a <see cref="CancellationToken"/> with a timeout.
    /// </remarks>
    public TimeSpan? DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the retry settings for transient failures.</summary>
    public MhaRightsRetryOptions Retry { get; } = new();

    /// <summary>
    /// Gets or sets the logger factory for retry and failure logs (and for the underlying gRPC channel).
    /// Credentials and message contents are never logged.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no logging (with dependency injection, the container's factory is used).</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Gets or sets the HTTP handler that carries the calls, for example a handler with a client certificate, a
    /// proxy, or an in-memory test server's handler.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: a <see cref="SocketsHttpHandler"/> with HTTP/2 keep-alive
    /// pings and multiple HTTP/2 connections is created. A handler supplied here is not disposed by the client.
    /// </value>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Gets or sets the largest response message the client accepts, in bytes.</summary>
    /// <value>
    /// The default value is 16 MB, enough for a rendered HTML compliance report. <see langword="null"/> means
    /// no limit.
    /// </value>
    public int? MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether credentials may be sent over unencrypted <c>http://</c> to a host
    /// other than the local machine.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: creating a client with a <see cref="Credential"/> and an
    /// <c>http://</c> address that is not loopback fails, so a secret is never sent in clear text by mistake.
    /// </value>
    public bool AllowUnencryptedCredentials { get; set; }
}
