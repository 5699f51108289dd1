using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights audit ...</c>: the hash-chained audit trail.</summary>
internal static class AuditCommands
{
    private static readonly IReadOnlyList<Column<AuditEvent>> Columns =
    [
        new("#", e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("When (London)", e => TimeText.Format(e.EventTimeLocal, e.EventTime)),
        new("Who", e => e.Actor is null ? string.Empty : $"{e.Actor.Principal} ({e.Actor.Role})"),
        new("Action", e => e.Action),
        new("Resource", e => e.Resource),
        new("Change", e => string.IsNullOrEmpty(e.FromState) && string.IsNullOrEmpty(e.ToState) ? string.Empty : $"{e.FromState} -> {e.ToState}"),
        new("Reason", e => e.Reason),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "audit",
        "The audit trail: who changed what, and whether the hash chain is intact",
        List(context),
        Verify(context),
        Checkpoint(context));

    private static Command List(CliContext context)
    {
        var patient = CommandKit.Text("--patient", "Only this patient's events (local id, NHS number or patients/... name)", "patient");
        var resource = CommandKit.Text("--resource", "Only events for this resource name prefix, e.g. apiKeys/", "prefix");
        var from = CommandKit.Text("--from", "From this date or time (London)", "time");
        var to = CommandKit.Text("--to", "Before this date or time (London)", "time");
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            "list",
            "Audit events, oldest first, for a patient, a resource and/or a period",
            ["mharights audit list --patient RIO-000123", "mharights audit list --from 2026-03-01 --to 2026-04-01 --all -o csv > march.csv"],
            [patient, resource, from, to, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var request = new ListAuditEventsRequest { ResourcePrefix = parseResult.GetValue(resource) ?? string.Empty };
                if (parseResult.GetValue(patient) is { } p)
                {
                    if (request.ResourcePrefix.Length > 0)
                    {
                        throw CliException.Usage("give --patient or --resource, not both");
                    }

                    request.ResourcePrefix = await Resolve.PatientNameAsync(client, p, cancellationToken);
                }

                var fromText = parseResult.GetValue(from);
                var toText = parseResult.GetValue(to);
                if (fromText is not null || toText is not null)
                {
                    request.Period = new TimeRange();
                    if (fromText is not null)
                    {
                        request.Period.StartTime = TimeText.ToTimestamp(TimeText.Parse(fromText, "--from", context.Clock, allowDateOnly: true));
                    }

                    if (toText is not null)
                    {
                        request.Period.EndTime = TimeText.ToTimestamp(TimeText.Parse(toText, "--to", context.Clock, allowDateOnly: true));
                    }
                }

                var items = await list.FetchAsync(parseResult, context, client.Audit.ListAuditEventsAsync(request, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, Columns, e => OutputWriter.ProtoJson(e), context.Stderr, "No audit events.");
                return ExitCodes.Ok;
            });
    }

    private static Command Verify(CliContext context)
    {
        var checkpoints = CommandKit.Text("--checkpoints", "A file of checkpoints kept from `audit checkpoint` (one per line) to hold the chain against", "file");
        return CommandKit.Leaf(
        context,
        "verify",
        "Walk the hash chain and check it against the signed checkpoints; exit code 1 on any damage (auditors and admins)",
        ["mharights audit verify", "mharights audit verify --checkpoints my-checkpoints.txt -o json"],
        [checkpoints],
        async (parseResult, cancellationToken) =>
        {
            var client = context.Client(parseResult);
            var request = new VerifyAuditChainRequest();
            if (parseResult.GetValue(checkpoints) is { } file)
            {
                request.Checkpoints.AddRange(await ReadCheckpointsAsync(file, cancellationToken));
            }

            var result = await client.Audit.VerifyAuditChainAsync(request, cancellationToken);
            context.Output(parseResult).WriteItem(
                result,
                [
                    new("Valid", r => r.Valid ? "yes" : "NO"),
                    new("Events checked", r => r.EventsChecked.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("First invalid sequence", r => r.FirstInvalidSequence == 0 ? string.Empty : r.FirstInvalidSequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("Damage", r => r.Damage == AuditDamage.Unspecified ? string.Empty : r.Damage.ToString()),
                    new("Checkpoints checked", r => r.CheckpointsChecked.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("Problem", r => r.Problem),
                ],
                r => OutputWriter.ProtoJson(r));
            if (!result.Valid)
            {
                context.Stderr.WriteLine($"error: the audit chain does not verify at sequence {result.FirstInvalidSequence} ({result.Damage}): {result.Problem}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Checkpoint(CliContext context) => CommandKit.Leaf(
        context,
        "checkpoint",
        "Have the server sign a checkpoint of the verified chain head; prints it as one line to keep off the server (auditors and admins)",
        ["mharights audit checkpoint >> my-checkpoints.txt", "mharights audit checkpoint -o json"],
        [],
        async (parseResult, cancellationToken) =>
        {
            var client = context.Client(parseResult);
            var checkpoint = await client.Audit.CreateAuditCheckpointAsync(cancellationToken);
            var output = context.Output(parseResult);
            if (output.Format == OutputFormat.Json)
            {
                output.WriteJson(OutputWriter.ProtoJson(checkpoint));
            }
            else
            {
                // Just the line on stdout, so `>> file` builds the auditor's own checkpoint file.
                output.WriteText(checkpoint.Line);
            }

            return ExitCodes.Ok;
        });

    /// <summary>Reads checkpoint lines ("sequence hash time signature"); blank lines and #-comments are skipped.</summary>
    private static async Task<List<AuditCheckpoint>> ReadCheckpointsAsync(string path, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (IOException ex)
        {
            throw CliException.Usage($"cannot read --checkpoints {path}: {ex.Message}");
        }

        var result = new List<AuditCheckpoint>();
        foreach (var (line, number) in lines.Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 4
                || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
                || !DateTime.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var time)
                || time.Kind != DateTimeKind.Utc)
            {
                throw CliException.Usage($"{path} line {number} is not a checkpoint line (sequence hash time signature)");
            }

            result.Add(new AuditCheckpoint { Sequence = sequence, Hash = parts[1], CreateTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(time), Signature = parts[3], Line = line });
        }

        return result;
    }
}
