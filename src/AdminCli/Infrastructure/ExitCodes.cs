using Grpc.Core;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// The documented exit codes (README "Exit codes"). Scripts branch on these, so they never change meaning.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Anything else: an internal server error, an import that rejected rows, an audit chain that does not verify.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line, a missing required flag, or a value the server rejected (INVALID_ARGUMENT, OUT_OF_RANGE).</summary>
    public const int Usage = 2;

    /// <summary>NOT_FOUND, or a patient, duty or episode the command looked up does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>UNAUTHENTICATED or PERMISSION_DENIED, or no credential configured.</summary>
    public const int NotAllowed = 4;

    /// <summary>ABORTED (etag mismatch, concurrent change), FAILED_PRECONDITION (state does not allow it), ALREADY_EXISTS.</summary>
    public const int Conflict = 5;

    /// <summary>UNAVAILABLE or DEADLINE_EXCEEDED after the client's retries: the server could not be reached in time.</summary>
    public const int Unavailable = 6;

    /// <summary>Interrupted with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>Maps a gRPC status code to the exit code the README documents.</summary>
    public static int FromStatus(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => Usage,
        StatusCode.NotFound => NotFound,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => NotAllowed,
        StatusCode.Aborted or StatusCode.FailedPrecondition or StatusCode.AlreadyExists => Conflict,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Cancelled => Cancelled,
        _ => Failure,
    };
}

/// <summary>
/// A failure the CLI detected itself (bad flag value, patient not found, no credential...), with the exit code to
/// return. The message is printed on one line to stderr.
/// </summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);
}
