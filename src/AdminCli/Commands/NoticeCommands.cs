using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary>
/// Nearest-relative copies (s132(4), s130D(5)) and s133 discharge notices: <c>notices</c> lists what is to send,
/// <c>notice</c> records what was done.
/// </summary>
internal static class NoticeCommands
{
    public static Command BuildWorklists(CliContext context) => CommandKit.Group(
        context,
        "notices",
        "Worklists of notices to send: nearest-relative copies and s133 discharge notices",
        Worklists.Build(context, "nr-copies", WorklistKind.NearestRelativeCopies, "Nearest-relative copies of the written rights information to send (s132(4), s130D(5))", "mharights notices nr-copies --hospital RXM01"),
        Worklists.Build(context, "s133", WorklistKind.DischargeNotices, "s133 discharge notices to send to the nearest relative (7 days before discharge)", "mharights notices s133 --ward ASH"));

    public static Command BuildRecording(CliContext context) => CommandKit.Group(
        context,
        "notice",
        "Record that a nearest-relative copy or s133 notice was sent, or why it is not required",
        Sent(context),
        Objection(context),
        NotRequired(context));

    private static Command Sent(CliContext context)
    {
        var target = CommandKit.Arg("target", "The duty (patients/.../duties/...) or the patient (local id, NHS number, name) with --kind");
        var kind = CommandKit.Text("--kind", "Which notice, when a patient is given: nr-copy-132 (default), nr-copy-130d or s133", "kind");
        var method = CommandKit.Required("--method", "How it was sent: post, email, by hand... (1-50 characters)", "method");
        var at = CommandKit.Text("--at", "When it was sent (London time, e.g. \"2026-03-02 09:30\"; default now)", "time");
        var recipient = CommandKit.Text("--recipient", "Recipient (defaults to the recorded nearest relative)", "name");
        var etag = CommandKit.Text("--etag", "Fail if the duty changed since you read it", "etag");
        return CommandKit.Leaf(
            context,
            "sent",
            "Record that a nearest-relative copy or s133 notice was sent",
            ["mharights notice sent RIO-000123 --method post --at \"2026-03-02 09:30\"", "mharights notice sent patients/p1/duties/d7 --method email"],
            [target, kind, method, at, recipient, etag],
            async (parseResult, cancellationToken) =>
            {
                var sentTime = TimeText.ToTimestamp(parseResult.GetValue(at) is { } text ? TimeText.Parse(text, "--at", context.Clock) : context.Clock.GetUtcNow());
                var dutyKind = Kind(parseResult.GetValue(kind));
                var client = context.Client(parseResult);
                var duty = await Resolve.DutyAsync(client, parseResult.GetRequiredValue(target), dutyKind, cancellationToken);
                var result = await client.Rights.RecordNoticeSentAsync(
                    new RecordNoticeSentRequest
                    {
                        Name = duty.Name,
                        SentTime = sentTime,
                        Method = parseResult.GetRequiredValue(method),
                        Recipient = parseResult.GetValue(recipient) ?? string.Empty,
                        Etag = parseResult.GetValue(etag) ?? string.Empty,
                    },
                    cancellationToken);
                context.Output(parseResult).WriteItem(result, RightsCommands.DutyFields, d => OutputWriter.ProtoJson(d));
                return ExitCodes.Ok;
            });
    }

    private static Command Objection(CliContext context)
    {
        var target = CommandKit.Arg("target", "The duty (patients/.../duties/...) or the patient with --kind");
        var kind = CommandKit.Text("--kind", "Which notice, when a patient is given: nr-copy-132 (default), nr-copy-130d or s133", "kind");
        var note = CommandKit.Required("--note", "The patient's words and when they were said (1-1000 characters)", "text");
        return CommandKit.Leaf(
            context,
            "objection",
            "Record that the patient objects to the nearest relative being sent the notice (s132(4), s130D(5), s133(2))",
            ["mharights notice objection RIO-000123 --note \"Patient said on 2 March she does not want her mother informed\""],
            [target, kind, note],
            (parseResult, cancellationToken) => NotRequiredAsync(context, parseResult, target, kind, RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects, parseResult.GetRequiredValue(note), cancellationToken));
    }

    private static Command NotRequired(CliContext context)
    {
        var target = CommandKit.Arg("target", "The duty (patients/.../duties/...) or the patient with --kind");
        var kind = CommandKit.Text("--kind", "Which notice, when a patient is given: nr-copy-132 (default), nr-copy-130d or s133", "kind");
        var reason = CommandKit.Required("--reason", ProtoEnums.Choices<RecordNoticeNotRequiredRequest.Types.Reason>(), "reason");
        var note = CommandKit.Required("--note", "Detail for the record (1-1000 characters)", "text");
        return CommandKit.Leaf(
            context,
            "not-required",
            "Record why a nearest-relative copy or s133 notice is not required",
            ["mharights notice not-required RIO-000123 --kind s133 --reason nearest-relative-opted-out --note \"NR asked not to be told, letter 1 March\""],
            [target, kind, reason, note],
            (parseResult, cancellationToken) => NotRequiredAsync(
                context,
                parseResult,
                target,
                kind,
                ProtoEnums.Parse<RecordNoticeNotRequiredRequest.Types.Reason>(parseResult.GetRequiredValue(reason), "--reason"),
                parseResult.GetRequiredValue(note),
                cancellationToken));
    }

    private static async Task<int> NotRequiredAsync(
        CliContext context,
        ParseResult parseResult,
        Argument<string> target,
        Option<string?> kind,
        RecordNoticeNotRequiredRequest.Types.Reason reason,
        string note,
        CancellationToken cancellationToken)
    {
        var dutyKind = Kind(parseResult.GetValue(kind));
        var client = context.Client(parseResult);
        var duty = await Resolve.DutyAsync(client, parseResult.GetRequiredValue(target), dutyKind, cancellationToken);
        var result = await client.Rights.RecordNoticeNotRequiredAsync(
            new RecordNoticeNotRequiredRequest { Name = duty.Name, Reason = reason, Note = note, Etag = duty.Etag },
            cancellationToken);
        context.Output(parseResult).WriteItem(result, RightsCommands.DutyFields, d => OutputWriter.ProtoJson(d));
        return ExitCodes.Ok;
    }

    private static DutyKind Kind(string? text)
    {
        if (text is null)
        {
            return DutyKind.NearestRelativeCopy132;
        }

        var kind = LegalNames.ParseDuty(text, "--kind");
        return kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D or DutyKind.Section133DischargeNotice
            ? kind
            : throw CliException.Usage("--kind must be nr-copy-132, nr-copy-130d or s133");
    }
}
