using MhaRights.Server.Common;

namespace MhaRights.Server.Changes;

/// <summary>The subscriber fell <see cref="ChangeOptions.BufferSize"/> messages behind: RESOURCE_EXHAUSTED.</summary>
public sealed class ChangeStreamOverflowException(long resumeAfter)
    : DomainException($"The change stream's buffer is full because the subscriber reads too slowly; resume after sequence {resumeAfter}.")
{
    public const string Reason = "CHANGE_STREAM_OVERFLOW";

    public long ResumeAfter { get; } = resumeAfter;
}

/// <summary>The server is stopping and ends its streams so subscribers resume elsewhere: UNAVAILABLE.</summary>
public sealed class ServerStoppingException(long resumeAfter)
    : DomainException($"The server is stopping; resume after sequence {resumeAfter}.")
{
    public const string Reason = "SERVER_STOPPING";

    public long ResumeAfter { get; } = resumeAfter;
}
