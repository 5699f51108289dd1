using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// How rights were explained, for
/// <see cref="RightsClient.RecordExplanationAttemptAsync(string, DateTimeOffset, string, string, AttemptOutcome, ExplanationDetails?, CancellationToken)"/>:
/// everything about an attempt beyond when, who and the outcome. Nothing is assumed: what is not set was not done.
/// </summary>
public sealed class ExplanationDetails
{
    /// <summary>Gets or sets a value indicating whether the information was given orally (s132(3) requires oral and written).</summary>
    public bool OralGiven { get; set; }

    /// <summary>Gets or sets a value indicating whether the information was given in writing; then <see cref="LeafletId"/> is required.</summary>
    public bool WrittenGiven { get; set; }

    /// <summary>Gets or sets the leaflet given (e.g. <c>DH-S2</c>).</summary>
    public string? LeafletId { get; set; }

    /// <summary>Gets or sets the leaflet's version.</summary>
    public string? LeafletVersion { get; set; }

    /// <summary>Gets or sets the leaflet's language, as an ISO 639 code.</summary>
    public string? LeafletLanguage { get; set; }

    /// <summary>Gets or sets a value indicating whether an interpreter was used.</summary>
    public bool InterpreterUsed { get; set; }

    /// <summary>Gets or sets the accessible format used (e.g. "easy read", "BSL video").</summary>
    public string? AccessibleFormat { get; set; }

    /// <summary>Gets or sets a free-text note on the patient's capacity to understand.</summary>
    public string? CapacityNote { get; set; }

    /// <summary>Gets or sets a value indicating whether information about independent mental health advocates was given (s130D).</summary>
    public bool ImhaInformationGiven { get; set; }

    /// <summary>Gets or sets the patient's wishes about the nearest relative receiving a copy (asked at the attempt).</summary>
    public NearestRelativeSharing NearestRelativeSharing { get; set; }

    /// <summary>Gets or sets when to try again, for outcomes other than understood; <see langword="null"/> = the trust's policy interval.</summary>
    public DateTimeOffset? NextAttemptTime { get; set; }

    /// <summary>
    /// Gets how each communication need from <see cref="RightsClient.GetRightsBriefingAsync(string, CancellationToken)"/>
    /// was met, or why not. Every need the patient has must be answered.
    /// </summary>
    public IList<CommunicationNeedResponse> CommunicationNeeds { get; } = [];

    /// <summary>Gets or sets a free-text note.</summary>
    public string? Note { get; set; }

    /// <summary>Gets or sets the duty's etag, to fail with <c>ABORTED</c> rather than record against a duty changed meanwhile; <see langword="null"/> to skip the check.</summary>
    public string? Etag { get; set; }
}
