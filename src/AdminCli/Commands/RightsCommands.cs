using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights rights ...</c>: the explanation worklists and the office's duty actions.</summary>
internal static class RightsCommands
{
    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "rights",
        "s132/s132A/s130D explanation duties: worklists, a patient's rights position, re-explanation and not-applicable",
        Worklists.Build(context, "due", WorklistKind.ExplanationsDue, "Explanations due and not yet overdue, most urgent first", "mharights rights due --hospital RXM01 --ward ASH"),
        Worklists.Build(context, "overdue", WorklistKind.ExplanationsOverdue, "Explanations past their deadline", "mharights rights overdue --hospital RXM01"),
        Worklists.Build(context, "reattempts", WorklistKind.ReattemptsDue, "Re-attempts whose planned time has come (not understood last time)", "mharights rights reattempts --ward ASH"),
        Worklists.Build(context, "reminders", WorklistKind.RemindersDue, "Periodic or event re-explanations due (renewal, tribunal window, Part 4...)", "mharights rights reminders --hospital RXM01"),
        Status(context),
        Reexplain(context),
        NotApplicable(context));

    private static Command Status(CliContext context)
    {
        var patient = CommandKit.Arg("patient", "Local id, NHS number or patients/... name");
        return CommandKit.Leaf(
            context,
            "status",
            "A patient's rights position: the episode in force, open duties and the next deadline",
            ["mharights rights status RIO-000123", "mharights rights status RIO-000123 -o json"],
            [patient],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var status = await client.Rights.GetRightsStatusAsync(name, cancellationToken);
                var output = context.Output(parseResult);
                if (output.Format == OutputFormat.Json)
                {
                    output.WriteJson(OutputWriter.ProtoJson(status));
                    return ExitCodes.Ok;
                }

                if (output.Format == OutputFormat.Table)
                {
                    var episode = status.CurrentEpisode;
                    context.Stderr.WriteLine(episode is null
                        ? $"{status.Patient}: no episode in force."
                        : $"{status.Patient}: {LegalNames.Display(episode.Provision)} at {episode.Hospital} since {TimeText.Format(episode.StartTimeLocal, episode.StartTime)}; next deadline {TimeText.Format(status.NextDueTime)}{(status.HasOverdue ? " (OVERDUE duties)" : string.Empty)}");
                }

                output.WriteList(status.OpenDuties, DutyColumns, d => OutputWriter.ProtoJson(d), context.Stderr, "No open duties.");
                return ExitCodes.Ok;
            });
    }

    private static Command Reexplain(CliContext context)
    {
        var patient = CommandKit.Arg("patient", "Local id, NHS number or patients/... name");
        var reason = CommandKit.Required("--reason", "patient-request or change-of-circumstances (responsible clinician, ward or capacity changed)", "reason");
        var note = CommandKit.Text("--note", "Note for the record (at most 1000 characters)", "text");
        return CommandKit.Leaf(
            context,
            "reexplain",
            "Raise a re-explanation now for the patient's explanation duties",
            ["mharights rights reexplain RIO-000123 --reason patient-request --note \"Asked on ward round\""],
            [patient, reason, note],
            async (parseResult, cancellationToken) =>
            {
                var trigger = parseResult.GetRequiredValue(reason).Trim().ToLowerInvariant() switch
                {
                    "patient-request" => DutyTrigger.PatientRequest,
                    "change-of-circumstances" => DutyTrigger.ChangeOfCircumstances,
                    var other => throw CliException.Usage($"--reason: '{other}' is not patient-request or change-of-circumstances"),
                };
                var client = context.Client(parseResult);
                var response = await client.Rights.RequestReexplanationAsync(
                    new RequestReexplanationRequest
                    {
                        Parent = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken),
                        Trigger = trigger,
                        Note = parseResult.GetValue(note) ?? string.Empty,
                    },
                    cancellationToken);
                context.Output(parseResult).WriteList(response.Duties, DutyColumns, d => OutputWriter.ProtoJson(d), context.Stderr, "No explanation duties were open to re-explain.");
                return ExitCodes.Ok;
            });
    }

    private static Command NotApplicable(CliContext context)
    {
        var duty = CommandKit.Arg("duty", "The duty, patients/.../duties/...");
        var reason = CommandKit.Required("--reason", "Why it does not apply (1-1000 characters), e.g. s136 recorded in a police station", "text");
        var etag = CommandKit.Text("--etag", "Fail if the duty changed since you read it", "etag");
        return CommandKit.Leaf(
            context,
            "not-applicable",
            "MHA office: mark a duty not applicable, with a reason (kept in the audit trail)",
            ["mharights rights not-applicable patients/p1/duties/d1 --reason \"s136 in police custody, not a hospital\""],
            [duty, reason, etag],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var result = await client.Rights.MarkDutyNotApplicableAsync(
                    new MarkDutyNotApplicableRequest
                    {
                        Name = parseResult.GetRequiredValue(duty),
                        Reason = parseResult.GetRequiredValue(reason),
                        Etag = parseResult.GetValue(etag) ?? string.Empty,
                    },
                    cancellationToken);
                context.Output(parseResult).WriteItem(result, DutyFields, d => OutputWriter.ProtoJson(d));
                return ExitCodes.Ok;
            });
    }

    public static readonly IReadOnlyList<Column<RightsDuty>> DutyColumns =
    [
        new("Duty", d => LegalNames.Display(d.Kind)),
        new("State", d => ProtoEnums.Display(d.State)),
        new("Provision", d => LegalNames.Display(d.Provision)),
        new("Hospital", d => d.Hospital),
        new("Ward", d => d.Ward),
        new("Due (London)", d => TimeText.Format(d.DueTimeLocal, d.DueTime)),
        new("Attempts", d => d.AttemptCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Name", d => d.Name),
    ];

    public static readonly IReadOnlyList<Column<RightsDuty>> DutyFields =
    [
        new("Name", d => d.Name),
        new("Duty", d => LegalNames.Display(d.Kind)),
        new("State", d => ProtoEnums.Display(d.State)),
        new("Trigger", d => ProtoEnums.Display(d.Trigger)),
        new("Provision", d => LegalNames.Display(d.Provision)),
        new("Hospital", d => d.Hospital),
        new("Ward", d => d.Ward),
        new("Opened (London)", d => TimeText.Format(d.OpenTime)),
        new("Due (London)", d => TimeText.Format(d.DueTimeLocal, d.DueTime)),
        new("Next attempt (London)", d => TimeText.Format(d.NextAttemptTime)),
        new("Next reminder (London)", d => TimeText.Format(d.NextReminderTime)),
        new("Resolved (London)", d => TimeText.Format(d.ResolvedTime)),
        new("Resolution note", d => d.ResolutionNote),
        new("Attempts", d => d.AttemptCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Permitted actions", d => string.Join(", ", d.PermittedActions)),
        new("Etag", d => d.Etag),
    ];
}
