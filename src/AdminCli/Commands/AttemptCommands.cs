using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights attempt ...</c>: record, list and void explanation attempts.</summary>
internal static class AttemptCommands
{
    public static readonly IReadOnlyList<Column<ExplanationAttempt>> Columns =
    [
        new("When (London)", a => TimeText.Format(a.AttemptTimeLocal, a.AttemptTime)),
        new("Outcome", a => ProtoEnums.Display(a.Outcome)),
        new("Explained by", a => a.ExplainedBy),
        new("Role", a => a.ExplainedByRole),
        new("Provision", a => LegalNames.Display(a.Provision)),
        new("State", a => ProtoEnums.Display(a.State)),
        new("Name", a => a.Name),
    ];

    public static readonly IReadOnlyList<Column<ExplanationAttempt>> Fields =
    [
        new("Name", a => a.Name),
        new("When (London)", a => TimeText.Format(a.AttemptTimeLocal, a.AttemptTime)),
        new("Outcome", a => ProtoEnums.Display(a.Outcome)),
        new("Explained by", a => a.ExplainedBy),
        new("Role", a => a.ExplainedByRole),
        new("Provision", a => LegalNames.Display(a.Provision)),
        new("Trigger", a => ProtoEnums.Display(a.Trigger)),
        new("Oral / written", a => $"{(a.OralGiven ? "oral" : "no oral")}, {(a.WrittenGiven ? "written" : "no written")}"),
        new("Leaflet", a => string.Join(" ", new[] { a.LeafletId, a.LeafletVersion, a.LeafletLanguage }.Where(s => !string.IsNullOrEmpty(s)))),
        new("Nearest relative sharing", a => ProtoEnums.Display(a.NearestRelativeSharing)),
        new("State", a => ProtoEnums.Display(a.State)),
        new("Void reason", a => a.VoidReason),
        new("Note", a => a.Note),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "attempt",
        "Explanation attempts: record one, list them, void one recorded in error",
        Record(context),
        List(context),
        Void(context));

    private static Command Record(CliContext context)
    {
        var target = CommandKit.Arg("target", "The duty (patients/.../duties/...) or the patient (local id, NHS number, name) with --duty");
        var dutyKind = CommandKit.Text("--duty", $"Which open duty, when a patient is given (default s132-1): {LegalNames.DutyChoices}", "duty");
        var by = CommandKit.Required("--by", "Who explained (name as in the EPR)", "name");
        var role = CommandKit.Required("--role", "Their role, e.g. \"Staff nurse\"", "role");
        var outcome = CommandKit.Required("--outcome", ProtoEnums.Choices<AttemptOutcome>(), "outcome");
        var at = CommandKit.Text("--at", "When it took place (London time, e.g. \"2026-03-02 14:30\"; default now)", "time");
        var oral = CommandKit.Flag("--oral", "Information was given orally");
        var written = CommandKit.Flag("--written", "Information was given in writing (needs --leaflet)");
        var leaflet = CommandKit.Text("--leaflet", "Leaflet id, e.g. DH-S3", "id");
        var leafletVersion = CommandKit.Text("--leaflet-version", "Leaflet version", "version");
        var leafletLanguage = CommandKit.Text("--leaflet-language", "Leaflet language (ISO 639, e.g. pl)", "code");
        var interpreter = CommandKit.Flag("--interpreter", "An interpreter was used");
        var imha = CommandKit.Flag("--imha-info", "IMHA information was given (s130D)");
        var sharing = CommandKit.Text("--nr-sharing", $"The patient's wishes about the nearest relative getting a copy: {ProtoEnums.Choices<NearestRelativeSharing>()}", "wish");
        var next = CommandKit.Text("--next-attempt", "When to try again (outcomes other than understood; default trust policy)", "time");
        var need = new Option<string[]>("--need")
        {
            Description = "How a communication need was handled, CODE=met:DETAIL or CODE=unmet:REASON (repeat per need; see 'rights status')",
            HelpName = "code=met:detail",
            AllowMultipleArgumentsPerToken = false,
        };
        var capacity = CommandKit.Text("--capacity-note", "Capacity note", "text");
        var note = CommandKit.Text("--note", "Free-text note", "text");
        return CommandKit.Leaf(
            context,
            "record",
            "Record an attempt to explain rights (s132(1), s132(2), s132A, s130D)",
            [
                "mharights attempt record RIO-000123 --by \"Jo Nurse\" --role \"Staff nurse\" --outcome understood --oral --written --leaflet DH-S3 --at \"2026-03-02 14:30\"",
                "mharights attempt record RIO-000123 --duty s130d --by \"Jo Nurse\" --role \"Staff nurse\" --outcome not-understood --oral --next-attempt \"2026-03-03 10:00\"",
                "mharights attempt record RIO-000123 --by \"Jo Nurse\" --role RMN --outcome understood --oral --need \"001=met:Polish interpreter A. Nowak\"",
            ],
            [target, dutyKind, by, role, outcome, at, oral, written, leaflet, leafletVersion, leafletLanguage, interpreter, imha, sharing, next, need, capacity, note],
            async (parseResult, cancellationToken) =>
            {
                var attempt = new ExplanationAttempt
                {
                    AttemptTime = TimeText.ToTimestamp(parseResult.GetValue(at) is { } atText ? TimeText.Parse(atText, "--at", context.Clock) : context.Clock.GetUtcNow()),
                    ExplainedBy = parseResult.GetRequiredValue(by),
                    ExplainedByRole = parseResult.GetRequiredValue(role),
                    Outcome = ProtoEnums.Parse<AttemptOutcome>(parseResult.GetRequiredValue(outcome), "--outcome"),
                    OralGiven = parseResult.GetValue(oral),
                    WrittenGiven = parseResult.GetValue(written),
                    LeafletId = parseResult.GetValue(leaflet) ?? string.Empty,
                    LeafletVersion = parseResult.GetValue(leafletVersion) ?? string.Empty,
                    LeafletLanguage = parseResult.GetValue(leafletLanguage) ?? string.Empty,
                    InterpreterUsed = parseResult.GetValue(interpreter),
                    ImhaInformationGiven = parseResult.GetValue(imha),
                    NearestRelativeSharing = parseResult.GetValue(sharing) is { } s ? ProtoEnums.Parse<NearestRelativeSharing>(s, "--nr-sharing") : NearestRelativeSharing.Unspecified,
                    CapacityNote = parseResult.GetValue(capacity) ?? string.Empty,
                    Note = parseResult.GetValue(note) ?? string.Empty,
                };
                if (parseResult.GetValue(next) is { } nextText)
                {
                    attempt.NextAttemptTime = TimeText.ToTimestamp(TimeText.Parse(nextText, "--next-attempt", context.Clock));
                }

                foreach (var text in parseResult.GetValue(need) ?? [])
                {
                    attempt.CommunicationNeeds.Add(ParseNeed(text));
                }

                var client = context.Client(parseResult);
                var kind = parseResult.GetValue(dutyKind) is { } k ? LegalNames.ParseDuty(k, "--duty") : DutyKind.Section1321;
                var duty = await Resolve.DutyAsync(client, parseResult.GetRequiredValue(target), kind, cancellationToken);
                var response = await client.Rights.RecordExplanationAttemptAsync(
                    new RecordExplanationAttemptRequest { Parent = duty.Name, Attempt = attempt, Etag = duty.Etag },
                    cancellationToken);
                if (context.Output(parseResult).Format == OutputFormat.Json)
                {
                    context.Output(parseResult).WriteJson(OutputWriter.ProtoJson(response));
                }
                else
                {
                    context.Stderr.WriteLine($"Recorded; the {LegalNames.Display(response.Duty.Kind)} duty is now {ProtoEnums.Display(response.Duty.State)}.");
                    context.Output(parseResult).WriteItem(response.Attempt, Fields, a => OutputWriter.ProtoJson(a));
                }

                return ExitCodes.Ok;
            });
    }

    private static Command List(CliContext context)
    {
        var target = CommandKit.Arg("target", "A patient (local id, NHS number, name) or a duty (patients/.../duties/...)");
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            "list",
            "Attempts for a patient or one duty, newest first, including corrected and voided ones",
            ["mharights attempt list RIO-000123", "mharights attempt list patients/p1/duties/d1 -o json"],
            [target, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var value = parseResult.GetRequiredValue(target).Trim();
                var parent = value.Contains("/duties/", StringComparison.Ordinal) ? value : await Resolve.PatientNameAsync(client, value, cancellationToken);
                var items = await list.FetchAsync(parseResult, context, client.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = parent }, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, Columns, a => OutputWriter.ProtoJson(a), context.Stderr, "No attempts recorded.");
                return ExitCodes.Ok;
            });
    }

    private static Command Void(CliContext context)
    {
        var attempt = CommandKit.Arg("attempt", "The attempt, patients/.../duties/.../attempts/...");
        var reason = CommandKit.Required("--reason", "Why it was recorded in error (1-1000 characters)", "text");
        var yes = CommandKit.Flag("--yes", "Do not ask for confirmation");
        return CommandKit.Leaf(
            context,
            "void",
            "MHA office: void an attempt recorded in error; the duty's state is recomputed and the original stays in the audit trail",
            ["mharights attempt void patients/p1/duties/d1/attempts/a1 --reason \"Recorded against the wrong patient\" --yes"],
            [attempt, reason, yes],
            async (parseResult, cancellationToken) =>
            {
                var name = parseResult.GetRequiredValue(attempt);
                context.Confirm($"Void {name}?", parseResult.GetValue(yes));
                var client = context.Client(parseResult);
                var result = await client.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = name, Reason = parseResult.GetRequiredValue(reason) }, cancellationToken);
                context.Output(parseResult).WriteItem(result, Fields, a => OutputWriter.ProtoJson(a));
                return ExitCodes.Ok;
            });
    }

    /// <summary>"001=met:BSL interpreter J. Smith" → a CommunicationNeedResponse.</summary>
    internal static CommunicationNeedResponse ParseNeed(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var colon = equals < 0 ? -1 : text.IndexOf(':', equals);
        if (equals <= 0 || colon < 0)
        {
            throw CliException.Usage($"--need '{text}' is not CODE=met:DETAIL or CODE=unmet:REASON");
        }

        var met = text[(equals + 1)..colon].Trim().ToLowerInvariant() switch
        {
            "met" => true,
            "unmet" or "not-met" => false,
            var other => throw CliException.Usage($"--need '{text}': '{other}' is not met or unmet"),
        };
        return new CommunicationNeedResponse { CategoryCode = text[..equals].Trim(), Met = met, Detail = text[(colon + 1)..].Trim() };
    }
}
