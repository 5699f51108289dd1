using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights status ...</c>: legal status episodes (detention, CTO, renewal, transfer, discharge).</summary>
internal static class StatusCommands
{
    public static readonly IReadOnlyList<Column<LegalStatusEpisode>> Columns =
    [
        new("Provision", e => LegalNames.Display(e.Provision)),
        new("State", e => ProtoEnums.Display(e.State)),
        new("Hospital", e => e.Hospital),
        new("Ward", e => e.Ward),
        new("Start (London)", e => TimeText.Format(e.StartTimeLocal, e.StartTime)),
        new("Expiry (London)", e => TimeText.Format(e.ExpiryTimeLocal, e.ExpiryTime)),
        new("End (London)", e => TimeText.Format(e.EndTime)),
        new("End reason", e => ProtoEnums.Display(e.EndReason)),
        new("Name", e => e.Name),
    ];

    public static readonly IReadOnlyList<Column<LegalStatusEpisode>> Fields =
    [
        new("Name", e => e.Name),
        new("Provision", e => LegalNames.Display(e.Provision)),
        new("Legal status code", e => e.LegalStatusCode),
        new("Suspended provision", e => LegalNames.Display(e.SuspendedProvision)),
        new("State", e => ProtoEnums.Display(e.State)),
        new("Hospital", e => e.Hospital),
        new("Ward", e => e.Ward),
        new("Start (London)", e => TimeText.Format(e.StartTimeLocal, e.StartTime)),
        new("Expiry (London)", e => TimeText.Format(e.ExpiryTimeLocal, e.ExpiryTime)),
        new("Renewals", e => e.RenewalCount == 0 ? string.Empty : e.RenewalCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Planned discharge (London)", e => TimeText.Format(e.PlannedDischargeTime)),
        new("End (London)", e => TimeText.Format(e.EndTime)),
        new("End reason", e => ProtoEnums.Display(e.EndReason)),
        new("End note", e => e.EndNote),
        new("Previous episode", e => e.PreviousEpisode),
        new("Next episode", e => e.NextEpisode),
        new("Etag", e => e.Etag),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "status",
        "Legal status: start, change, renew, transfer, plan discharge, end, and list a patient's episodes",
        Start(context),
        Change(context),
        Renew(context),
        Transfer(context),
        PlanDischarge(context),
        End(context),
        List(context));

    private static Command Start(CliContext context)
    {
        var patient = CommandKit.Arg("patient", "Local id, NHS number or patients/... name");
        var provision = CommandKit.Required("--provision", $"The provision: {LegalNames.ProvisionExamples}", "provision");
        var suspended = CommandKit.Text("--suspended", "For a CTO: the section it suspends (s3 or s37)", "provision");
        var hospital = CommandKit.Required("--hospital", "Hospital responsible (site or trust-local code)", "code");
        var ward = CommandKit.Text("--ward", "Ward code", "code");
        var at = CommandKit.Text("--at", "When the authority started (London time; default now)", "time");
        return CommandKit.Leaf(
            context,
            "start",
            "Start a legal status episode for a patient with none in force (opens the rights duties)",
            ["mharights status start RIO-000123 --provision s2 --hospital RXM01 --ward ASH --at \"2026-03-01 10:00\"", "mharights status start RIO-000123 --provision cto --suspended s3 --hospital RXM01"],
            [patient, provision, suspended, hospital, ward, at],
            async (parseResult, cancellationToken) =>
            {
                // Everything typed is checked before the server is asked anything.
                var request = new StartEpisodeRequest
                {
                    Episode = new LegalStatusEpisode
                    {
                        Provision = LegalNames.ParseProvision(parseResult.GetRequiredValue(provision), "--provision"),
                        SuspendedProvision = parseResult.GetValue(suspended) is { } s ? LegalNames.ParseProvision(s, "--suspended") : Provision.Unspecified,
                        Hospital = parseResult.GetRequiredValue(hospital),
                        Ward = parseResult.GetValue(ward) ?? string.Empty,
                        StartTime = When(context, parseResult.GetValue(at)),
                    },
                };
                var client = context.Client(parseResult);
                request.Parent = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var episode = await client.LegalStatus.StartEpisodeAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(episode, Fields, e => OutputWriter.ProtoJson(e));
                return ExitCodes.Ok;
            });
    }

    private static Command Change(CliContext context)
    {
        var target = Target();
        var provision = CommandKit.Required("--provision", $"The new provision: {LegalNames.ProvisionExamples}", "provision");
        var suspended = CommandKit.Text("--suspended", "For a new CTO: the section it suspends", "provision");
        var hospital = CommandKit.Text("--hospital", "Hospital of the new episode (default unchanged)", "code");
        var ward = CommandKit.Text("--ward", "Ward of the new episode (default unchanged)", "code");
        var at = CommandKit.Text("--at", "When the new authority started (London time; default now)", "time");
        return CommandKit.Leaf(
            context,
            "change",
            "Change the provision (s5-2->s2, s2->s3, s38->s37...): ends the episode in force and opens the next",
            ["mharights status change RIO-000123 --provision s3 --at \"2026-03-20 16:00\""],
            [target, provision, suspended, hospital, ward, at],
            async (parseResult, cancellationToken) =>
            {
                var request = new ChangeProvisionRequest
                {
                    Provision = LegalNames.ParseProvision(parseResult.GetRequiredValue(provision), "--provision"),
                    SuspendedProvision = parseResult.GetValue(suspended) is { } s ? LegalNames.ParseProvision(s, "--suspended") : Provision.Unspecified,
                    Hospital = parseResult.GetValue(hospital) ?? string.Empty,
                    Ward = parseResult.GetValue(ward) ?? string.Empty,
                    ChangeTime = When(context, parseResult.GetValue(at)),
                };
                var client = context.Client(parseResult);
                var episode = await Resolve.EpisodeAsync(client, parseResult.GetRequiredValue(target), cancellationToken);
                request.Name = episode.Name;
                request.Etag = episode.Etag;
                var response = await client.LegalStatus.ChangeProvisionAsync(request, cancellationToken);
                WriteChange(context, parseResult, response);
                return ExitCodes.Ok;
            });
    }

    private static Command Renew(CliContext context)
    {
        var target = Target();
        var at = CommandKit.Text("--at", "When the renewal report was furnished (London time; default now)", "time");
        return CommandKit.Leaf(
            context,
            "renew",
            "Renew a detention (s20) or extend a CTO (s20A)",
            ["mharights status renew RIO-000123 --at \"2026-08-20 12:00\""],
            [target, at],
            async (parseResult, cancellationToken) =>
            {
                var when = When(context, parseResult.GetValue(at));
                var client = context.Client(parseResult);
                var episode = await Resolve.EpisodeAsync(client, parseResult.GetRequiredValue(target), cancellationToken);
                var result = await client.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = episode.Name, RenewalTime = when, Etag = episode.Etag }, cancellationToken);
                context.Output(parseResult).WriteItem(result, Fields, e => OutputWriter.ProtoJson(e));
                return ExitCodes.Ok;
            });
    }

    private static Command Transfer(CliContext context)
    {
        var target = Target();
        var hospital = CommandKit.Required("--hospital", "Receiving hospital", "code");
        var ward = CommandKit.Text("--ward", "Receiving ward", "code");
        var at = CommandKit.Text("--at", "When the patient arrived (London time; default now)", "time");
        return CommandKit.Leaf(
            context,
            "transfer",
            "Transfer the patient to another hospital (s19) or ward while the provision continues",
            ["mharights status transfer RIO-000123 --hospital RXM02 --ward OAK --at \"2026-03-05 11:00\""],
            [target, hospital, ward, at],
            async (parseResult, cancellationToken) =>
            {
                var request = new TransferEpisodeRequest
                {
                    Hospital = parseResult.GetRequiredValue(hospital),
                    Ward = parseResult.GetValue(ward) ?? string.Empty,
                    TransferTime = When(context, parseResult.GetValue(at)),
                };
                var client = context.Client(parseResult);
                var episode = await Resolve.EpisodeAsync(client, parseResult.GetRequiredValue(target), cancellationToken);
                request.Name = episode.Name;
                request.Etag = episode.Etag;
                var result = await client.LegalStatus.TransferEpisodeAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(result, Fields, e => OutputWriter.ProtoJson(e));
                return ExitCodes.Ok;
            });
    }

    private static Command PlanDischarge(CliContext context)
    {
        var target = Target();
        var at = CommandKit.Required("--at", "Planned discharge time (London time, in the future)", "time");
        var byNearestRelative = CommandKit.Flag("--ordered-by-nearest-relative", "The nearest relative ordered the discharge (no s133 notice needed)");
        var optedOut = CommandKit.Flag("--opted-out", "The patient or nearest relative asked not to be told (s133(2))");
        return CommandKit.Leaf(
            context,
            "plan-discharge",
            "Record a planned discharge; opens the s133 notice duty 7 days before unless not needed",
            ["mharights status plan-discharge RIO-000123 --at \"2026-04-01 10:00\""],
            [target, at, byNearestRelative, optedOut],
            async (parseResult, cancellationToken) =>
            {
                var request = new PlanDischargeRequest
                {
                    PlannedDischargeTime = When(context, parseResult.GetValue(at)),
                    OrderedByNearestRelative = parseResult.GetValue(byNearestRelative),
                    NoticeOptedOut = parseResult.GetValue(optedOut),
                };
                var client = context.Client(parseResult);
                var episode = await Resolve.EpisodeAsync(client, parseResult.GetRequiredValue(target), cancellationToken);
                request.Name = episode.Name;
                request.Etag = episode.Etag;
                var result = await client.LegalStatus.PlanDischargeAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(result, Fields, e => OutputWriter.ProtoJson(e));
                return ExitCodes.Ok;
            });
    }

    private static Command End(CliContext context)
    {
        var target = Target();
        var reason = CommandKit.Required("--reason", ProtoEnums.Choices<LegalStatusEpisode.Types.EndReason>(), "reason");
        var note = CommandKit.Text("--note", "Note (required for reason other)", "text");
        var at = CommandKit.Text("--at", "When it ended (London time; default now)", "time");
        return CommandKit.Leaf(
            context,
            "end",
            "End the episode in force without a successor (discharge, expiry, death...); open duties close",
            ["mharights status end RIO-000123 --reason discharged-by-responsible-clinician --at \"2026-03-28 15:00\""],
            [target, reason, note, at],
            async (parseResult, cancellationToken) =>
            {
                var request = new EndEpisodeRequest
                {
                    EndReason = ProtoEnums.Parse<LegalStatusEpisode.Types.EndReason>(parseResult.GetRequiredValue(reason), "--reason"),
                    EndNote = parseResult.GetValue(note) ?? string.Empty,
                    EndTime = When(context, parseResult.GetValue(at)),
                };
                var client = context.Client(parseResult);
                var episode = await Resolve.EpisodeAsync(client, parseResult.GetRequiredValue(target), cancellationToken);
                request.Name = episode.Name;
                request.Etag = episode.Etag;
                var result = await client.LegalStatus.EndEpisodeAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(result, Fields, e => OutputWriter.ProtoJson(e));
                return ExitCodes.Ok;
            });
    }

    private static Command List(CliContext context)
    {
        var patient = CommandKit.Arg("patient", "Local id, NHS number or patients/... name");
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            "list",
            "A patient's legal status episodes, newest first",
            ["mharights status list RIO-000123", "mharights status list RIO-000123 -o json"],
            [patient, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var items = await list.FetchAsync(parseResult, context, client.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = name }, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, Columns, e => OutputWriter.ProtoJson(e), context.Stderr, "No episodes recorded.");
                return ExitCodes.Ok;
            });
    }

    private static Argument<string> Target() =>
        CommandKit.Arg("target", "The patient (local id, NHS number, name: uses the episode in force) or an episode (patients/.../episodes/...)");

    private static Google.Protobuf.WellKnownTypes.Timestamp When(CliContext context, string? text) =>
        TimeText.ToTimestamp(text is not null ? TimeText.Parse(text, "--at", context.Clock) : context.Clock.GetUtcNow());

    private static void WriteChange(CliContext context, ParseResult parseResult, ChangeProvisionResponse response)
    {
        var output = context.Output(parseResult);
        if (output.Format == OutputFormat.Json)
        {
            output.WriteJson(OutputWriter.ProtoJson(response));
            return;
        }

        context.Stderr.WriteLine($"{LegalNames.Display(response.PreviousEpisode.Provision)} ended ({ProtoEnums.Display(response.PreviousEpisode.State)}); now {LegalNames.Display(response.CurrentEpisode.Provision)}.");
        output.WriteItem(response.CurrentEpisode, Fields, e => OutputWriter.ProtoJson(e));
    }
}
