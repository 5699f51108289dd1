using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace MhaRights.Client.Internal;

/// <summary>The client's log messages. Never logs credentials or message contents (they hold patient data).</summary>
internal static class Log
{
    public static readonly Action<ILogger, string, StatusCode, int, int, double, string?, Exception?> Retrying =
        LoggerMessage.Define<string, StatusCode, int, int, double, string?>(
            LogLevel.Warning,
            new EventId(1, "Retrying"),
            "{Operation} failed with {StatusCode}; retry {Retry} of {MaxRetries} in {DelayMs:F0} ms (request_id {RequestId})");

    public static readonly Action<ILogger, string, StatusCode, string?, string?, Exception?> CallFailed =
        LoggerMessage.Define<string, StatusCode, string?, string?>(
            LogLevel.Debug,
            new EventId(2, "CallFailed"),
            "{Operation} failed with {StatusCode} ({Reason}) (request_id {RequestId})");
}
