using System.Text;
using Grpc.Core;
using MhaRights.Client;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Server refusals as sentences an MHA office clerk can act on. The server's own description may be written for
/// developers (a state machine's "No valid leaving transitions ... Consider ignoring the trigger"), so the CLI maps
/// by the stable ErrorInfo reason and its metadata (the record's state and the action tried, or the business rule)
/// and falls back to the server's description only when it is not state-machine wording.
/// </summary>
internal static class ClerkMessages
{
    private const string AnyState = "*";

    /// <summary>INVALID_STATE_TRANSITION: (action tried, state it was in) → what to tell the clerk.</summary>
    private static readonly Dictionary<(string Trigger, string State), string> Transitions = new()
    {
        [("attempt-understood", "understood")] = AlreadyUnderstood,
        [("attempt-unsuccessful", "understood")] = AlreadyUnderstood,
        [("attempt-understood", "attempted")] = AttemptJustRecorded,
        [("attempt-unsuccessful", "attempted")] = AttemptJustRecorded,
        [("attempt-understood", "superseded")] = DutySuperseded,
        [("attempt-unsuccessful", "superseded")] = DutySuperseded,
        [("attempt-understood", "closed")] = DutyClosed,
        [("attempt-unsuccessful", "closed")] = DutyClosed,
        [("attempt-understood", "not-applicable")] = DutyNotApplicable,
        [("attempt-unsuccessful", "not-applicable")] = DutyNotApplicable,
        [("attempt-voided", AnyState)] = "There is no standing attempt to void on this duty: it has no attempt in force, or it has been closed.",
        [("mark-not-applicable", AnyState)] = "Only an open duty can be marked not applicable; this one is already finished.",
        [("schedule-reattempt", AnyState)] = "A re-attempt can only be scheduled straight after an attempt that was not understood; give --next-attempt when recording that attempt.",
        [("reexplanation-raised", AnyState)] = "A re-explanation can only be raised on a duty that is understood; the explanation is still waiting to be given.",
        [("notice-sent", "sent")] = "This notice is already recorded as sent; nothing more is needed.",
        [("notice-sent", "not-required")] = "This notice is recorded as not required; if it is needed after all, it is raised again by the change that needs it.",
        [("notice-not-required", "sent")] = "This notice was already sent, so it cannot be marked not required.",
        [("notice-not-required", "not-required")] = "This notice is already recorded as not required.",
        [("notice-sent", AnyState)] = NoticeFinished,
        [("notice-not-required", AnyState)] = NoticeFinished,
        [("change-provision", "ended")] = EpisodeEnded,
        [("renew", "ended")] = EpisodeEnded,
        [("transfer", "ended")] = EpisodeEnded,
        [("plan-discharge", "ended")] = EpisodeEnded,
        [("end", "ended")] = "This episode has already ended.",
        [("change-provision", "superseded")] = EpisodeSuperseded,
        [("renew", "superseded")] = EpisodeSuperseded,
        [("transfer", "superseded")] = EpisodeSuperseded,
        [("plan-discharge", "superseded")] = EpisodeSuperseded,
        [("end", "superseded")] = EpisodeSuperseded,
        [("end", "active")] = "A CTO recall is not ended directly: release the patient from recall or revoke the CTO instead.",
        [("release-from-recall", AnyState)] = "Only a patient recalled under a CTO can be released from recall.",
        [("revoke", AnyState)] = "Only a CTO recall can be revoked; the patient is not on a recall now.",
        [("recall", AnyState)] = "Only a patient on a CTO in force can be recalled.",
    };

    /// <summary>PRECONDITION_FAILED and similar: the server's rule name → what to tell the clerk.</summary>
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        ["ONE_ACTIVE_EPISODE"] = "The patient already has a section in force. To move to a new section use 'mharights status change'; to stop the current one use 'mharights status end'.",
        ["RENEWAL_LIMIT"] = "This section cannot be renewed again: its maximum total period has been reached.",
        ["NO_OPEN_EXPLANATION_DUTY"] = "The patient has no s132(1) or s132A duty to explain again (is a section in force? see 'mharights rights status PATIENT').",
        ["EXPLANATION_DUTY_ONLY"] = "This duty is a notice, not an explanation: record it with 'mharights notice sent' or 'mharights notice not-required'.",
        ["NOTICE_DUTY_ONLY"] = "This duty is an explanation, not a notice: record it with 'mharights attempt record'.",
        ["LATEST_ATTEMPT_ONLY"] = "Only the most recent attempt on a duty can be corrected or voided; void the later attempts first.",
        ["RECALL_EPISODE_ONLY"] = "Name the CTO recall episode (the one the recall created; see 'mharights status list PATIENT').",
    };

    /// <summary>Reasons whose meaning does not depend on the record.</summary>
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        [MhaRightsErrorReasons.EtagMismatch] = ChangedMeanwhile,
        [MhaRightsErrorReasons.ConcurrentModification] = ChangedMeanwhile,
        [MhaRightsErrorReasons.WriteNotCommitted] = "The change was not saved because the database was busy; run the same command again.",
    };

    private const string AlreadyUnderstood =
        "This duty is already understood; record a new explanation only after a change of section, or raise a re-explanation first ('mharights rights reexplain PATIENT --reason patient-request').";

    private const string AttemptJustRecorded =
        "The last attempt was not understood and no re-attempt is scheduled yet; record the attempt again with --next-attempt.";

    private const string DutySuperseded =
        "This duty was replaced by a newer one when the section changed; record against the patient's current duty (see 'mharights rights status PATIENT').";

    private const string DutyClosed = "This duty is closed (the section ended); nothing more can be recorded against it.";

    private const string DutyNotApplicable = "This duty was marked not applicable; nothing more can be recorded against it.";

    private const string NoticeFinished = "This notice is no longer open (the section changed or ended); see 'mharights rights status PATIENT' for the notices still due.";

    private const string EpisodeEnded = "This episode has ended; start a new one with 'mharights status start'.";

    private const string EpisodeSuperseded =
        "This episode was replaced when the section changed; act on the episode in force (see 'mharights status list PATIENT').";

    private const string ChangedMeanwhile =
        "Someone else changed this record at the same moment; look at it again ('mharights patient show PATIENT') and repeat the command if it is still needed.";

    /// <summary>The sentence to show for a refusal, or null when the server's own description should be shown.</summary>
    public static string? For(MhaRightsException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception.Reason;
        if (reason is null)
        {
            return null;
        }

        if (Reasons.TryGetValue(reason, out var text))
        {
            return text;
        }

        if (exception.Metadata.TryGetValue("rule", out var rule) && Rules.TryGetValue(rule, out text))
        {
            return text;
        }

        return reason == MhaRightsErrorReasons.InvalidStateTransition ? ForTransition(exception) : null;
    }

    /// <summary>True for a description written in a state-machine library's words rather than the office's.</summary>
    public static bool IsLibraryWording(string? description) =>
        description is not null && (
            description.Contains("No valid leaving transitions", StringComparison.OrdinalIgnoreCase)
            || description.Contains("Consider ignoring the trigger", StringComparison.OrdinalIgnoreCase)
            || description.Contains("guard condition", StringComparison.OrdinalIgnoreCase)
            || description.Contains("for trigger", StringComparison.OrdinalIgnoreCase));

    private static string ForTransition(MhaRightsException exception)
    {
        var state = Words(exception.Metadata.GetValueOrDefault("state"));
        var trigger = Words(exception.Metadata.GetValueOrDefault("trigger"));
        if (Transitions.TryGetValue((trigger, state), out var text) || Transitions.TryGetValue((trigger, AnyState), out text))
        {
            return text;
        }

        var description = exception.RpcStatus?.Message ?? (exception.InnerException as RpcException)?.Status.Detail;
        if (!string.IsNullOrWhiteSpace(description) && !IsLibraryWording(description))
        {
            return description;
        }

        // Unknown pair and only library wording: say what was tried and what state the record is in, in words.
        var sentence = new StringBuilder("This cannot be done now");
        if (state.Length > 0)
        {
            sentence.Append(": the record is ").Append(state.Replace('-', ' '));
        }

        if (trigger.Length > 0)
        {
            sentence.Append(" (tried: ").Append(trigger.Replace('-', ' ')).Append(')');
        }

        if (exception.Metadata.GetValueOrDefault("unmet_guards") is { Length: > 0 } guards)
        {
            sentence.Append("; it needs ").Append(guards);
        }

        return sentence.Append('.').ToString();
    }

    /// <summary>"ReminderDue", "REMINDER_DUE" and "reminder-due" all become "reminder-due".</summary>
    internal static string Words(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or ' ')
            {
                text.Append('-');
            }
            else if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                text.Append('-').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }
}
