using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights patient show</c>: everything about one patient on one screen, as a timeline.</summary>
internal static class PatientCommands
{
    private static readonly IReadOnlyList<Column<TimelineEntry>> TimelineColumns =
    [
        new("When (London)", e => TimeText.Format(e.Time)),
        new("What", e => e.Kind),
        new("Detail", e => e.Summary),
        new("Resource", e => e.Resource),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(context, "patient", "One patient's record", Show(context));

    private static Command Show(CliContext context)
    {
        var patient = CommandKit.Arg("patient", "Local id (EPR id), NHS number, or patients/... name");
        return CommandKit.Leaf(
            context,
            "show",
            "A patient's timeline: legal status episodes, duties, explanation attempts and reasonable adjustments",
            ["mharights patient show RIO-000123", "mharights patient show 9434765919 -o json", "mharights patient show patients/p1 -o csv"],
            [patient],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var found = await Resolve.PatientAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var view = await LoadAsync(client, found, cancellationToken);
                var output = context.Output(parseResult);
                switch (output.Format)
                {
                    case OutputFormat.Json:
                        output.WriteJson(view.ToJson());
                        break;
                    case OutputFormat.Csv:
                        output.WriteList(view.Timeline, TimelineColumns, _ => null, context.Stderr);
                        break;
                    default:
                        output.WriteTable(["Field", "Value"], Summary(view).Where(r => !string.IsNullOrEmpty(r[1])), title: "Patient");
                        output.WriteList(view.Timeline, TimelineColumns, _ => null, context.Stderr, "No history recorded.");
                        break;
                }

                return ExitCodes.Ok;
            });
    }

    private static async Task<PatientView> LoadAsync(MhaRightsClient client, Patient patient, CancellationToken cancellationToken)
    {
        var episodes = client.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = patient.Name }, cancellationToken).ToListAsync(cancellationToken).AsTask();
        var duties = client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name }, cancellationToken).ToListAsync(cancellationToken).AsTask();
        var attempts = client.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = patient.Name }, cancellationToken).ToListAsync(cancellationToken).AsTask();
        var (record, items) = await AdjustmentCommands.LoadRecordAsync(client, patient.Name, allStates: true, cancellationToken);
        return new PatientView(patient, await episodes, await duties, await attempts, record, items);
    }

    private static IEnumerable<string?[]> Summary(PatientView view)
    {
        var p = view.Patient;
        var current = view.Episodes.FirstOrDefault(e => e.State is LegalStatusEpisode.Types.State.Active or LegalStatusEpisode.Types.State.Recalled);
        yield return ["Name", $"{p.GivenName} {p.FamilyName}".Trim()];
        yield return ["Local id", p.LocalId];
        yield return ["NHS number", p.NhsNumber];
        yield return ["Date of birth", TimeText.FormatDate(p.DateOfBirth)];
        yield return ["Hospital / ward", string.Join(" / ", new[] { p.Hospital, p.Ward }.Where(s => !string.IsNullOrEmpty(s)))];
        yield return ["Language", p.PreferredLanguage + (p.InterpreterNeeded ? " (interpreter needed)" : string.Empty)];
        yield return ["Nearest relative", NearestRelativeText(p.NearestRelative)];
        yield return ["In force", current is null ? "no episode in force" : $"{LegalNames.Display(current.Provision)} since {TimeText.Format(current.StartTimeLocal, current.StartTime)}" + (current.ExpiryTime is null ? string.Empty : $", expires {TimeText.Format(current.ExpiryTimeLocal, current.ExpiryTime)}")];
        yield return ["Open duties", view.Duties.Count(IsOpen).ToString(CultureInfo.InvariantCulture)];
        yield return ["Adjustments", view.Record is null ? "none recorded" : $"{ProtoEnums.Display(view.Record.State)}, {view.Record.ActiveItemCount} active item(s)" + (view.Record.ContentVisible ? string.Empty : " (content not visible to this key)")];
        yield return ["Resource", p.Name];
    }

    private static string NearestRelativeText(NearestRelative? nr) => nr?.Status switch
    {
        NearestRelative.Types.Status.Identified => $"{nr.FullName}" + (string.IsNullOrEmpty(nr.Relationship) ? string.Empty : $" ({nr.Relationship})"),
        NearestRelative.Types.Status.NoneIdentified => "none identified",
        NearestRelative.Types.Status.Unknown => "not yet known",
        _ => "not recorded",
    };

    private static bool IsOpen(RightsDuty duty) => duty.State is RightsDuty.Types.State.Due or RightsDuty.Types.State.Attempted
        or RightsDuty.Types.State.ReAttemptScheduled or RightsDuty.Types.State.Understood or RightsDuty.Types.State.ReminderDue or RightsDuty.Types.State.Overdue;

    /// <summary>One line of the timeline.</summary>
    private sealed record TimelineEntry(Timestamp? Time, string Kind, string Summary, string Resource);

    private sealed record PatientView(
        Patient Patient,
        IReadOnlyList<LegalStatusEpisode> Episodes,
        IReadOnlyList<RightsDuty> Duties,
        IReadOnlyList<ExplanationAttempt> Attempts,
        AdjustmentRecord? Record,
        IReadOnlyList<AdjustmentItem> Items)
    {
        public IReadOnlyList<TimelineEntry> Timeline { get; } = BuildTimeline(Episodes, Duties, Attempts, Record, Items);

        public JsonNode ToJson() => new JsonObject
        {
            ["patient"] = OutputWriter.ProtoJson(Patient),
            ["episodes"] = new JsonArray([.. Episodes.Select(e => OutputWriter.ProtoJson(e))]),
            ["duties"] = new JsonArray([.. Duties.Select(d => OutputWriter.ProtoJson(d))]),
            ["attempts"] = new JsonArray([.. Attempts.Select(a => OutputWriter.ProtoJson(a))]),
            ["adjustmentRecord"] = Record is null ? null : OutputWriter.ProtoJson(Record),
            ["adjustmentItems"] = new JsonArray([.. Items.Select(i => OutputWriter.ProtoJson(i))]),
            ["timeline"] = new JsonArray([.. Timeline.Select(e => (JsonNode)new JsonObject
            {
                ["time"] = e.Time?.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["timeLocal"] = TimeText.Format(e.Time),
                ["kind"] = e.Kind,
                ["summary"] = e.Summary,
                ["resource"] = e.Resource,
            })]),
        };

        private static List<TimelineEntry> BuildTimeline(
            IReadOnlyList<LegalStatusEpisode> episodes,
            IReadOnlyList<RightsDuty> duties,
            IReadOnlyList<ExplanationAttempt> attempts,
            AdjustmentRecord? record,
            IReadOnlyList<AdjustmentItem> items)
        {
            var entries = new List<TimelineEntry>();
            foreach (var e in episodes)
            {
                entries.Add(new(e.StartTime, "episode started", $"{LegalNames.Display(e.Provision)} at {e.Hospital}{(string.IsNullOrEmpty(e.Ward) ? string.Empty : "/" + e.Ward)} ({ProtoEnums.Display(e.State)})", e.Name));
                if (e.EndTime is not null)
                {
                    var why = e.EndReason == LegalStatusEpisode.Types.EndReason.Unspecified ? ProtoEnums.Display(e.State) : ProtoEnums.Display(e.EndReason);
                    entries.Add(new(e.EndTime, "episode ended", $"{LegalNames.Display(e.Provision)}: {why}", e.Name));
                }
            }

            foreach (var d in duties)
            {
                entries.Add(new(d.OpenTime, "duty opened", $"{LegalNames.Display(d.Kind)} ({ProtoEnums.Display(d.Trigger)}), now {ProtoEnums.Display(d.State)}, due {TimeText.Format(d.DueTimeLocal, d.DueTime)}", d.Name));
            }

            foreach (var a in attempts)
            {
                var state = a.State == ExplanationAttempt.Types.State.Recorded ? string.Empty : $" [{ProtoEnums.Display(a.State)}]";
                entries.Add(new(a.AttemptTime, "explanation", $"{ProtoEnums.Display(a.Outcome)} - {a.ExplainedBy} ({a.ExplainedByRole}){state}", a.Name));
            }

            if (record is not null)
            {
                entries.Add(new(record.CreateTime, "adjustments", $"record {ProtoEnums.Display(record.State)}, sharing {ProtoEnums.Display(record.SharingState)}", record.Name));
                foreach (var i in items)
                {
                    entries.Add(new(i.CreateTime, "adjustment item", $"{AdjustmentCommands.Describe(i)} ({ProtoEnums.Display(i.State)})", i.Name));
                }
            }

            return [.. entries.OrderBy(e => e.Time?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).ThenBy(e => e.Resource, StringComparer.Ordinal)];
        }
    }
}
