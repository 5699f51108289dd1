using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary>The RightsService worklists as commands: one per WorklistKind, all with the same filters and columns.</summary>
internal static class Worklists
{
    public static readonly IReadOnlyList<Column<WorklistItem>> Columns =
    [
        new("Patient", i => i.PatientLocalId),
        new("Name", i => i.PatientDisplayName),
        new("Duty", i => LegalNames.Display(i.Duty?.Kind ?? DutyKind.Unspecified)),
        new("State", i => ProtoEnums.Display(i.Duty?.State ?? RightsDuty.Types.State.Unspecified)),
        new("Provision", i => LegalNames.Display(i.Duty?.Provision ?? Provision.Unspecified), DropOrder: 1),
        new("Hospital", i => i.Duty?.Hospital, DropOrder: 2),
        new("Ward", i => i.Duty?.Ward, DropOrder: 3),
        new("Action by (London)", i => TimeText.Format(i.ActionTimeLocal, i.ActionTime)),
        // The duty's own state, as the server's sweep sets it, so this column agrees with `rights overdue` (the
        // item's past_due only compares the action time with the clock, which differs until the sweep has run).
        new("Overdue", i => i.Duty?.State == RightsDuty.Types.State.Overdue ? "yes" : "no"),
        new("Attempts", i => (i.Duty?.AttemptCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), DropOrder: 4),
        // The resource name is long; a narrow terminal leaves it out first (commands also take PATIENT --duty KIND).
        new("Duty name", i => i.Duty?.Name, DropOrder: 5),
    ];

    public static Command Build(CliContext context, string name, WorklistKind kind, string description, string example)
    {
        var filter = new LocationFilter();
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            name,
            description,
            [example, $"{example.Split(" --")[0]} --all -o csv > worklist.csv"],
            [.. filter.Symbols, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var request = new ListWorklistItemsRequest
                {
                    Kind = kind,
                    Hospital = parseResult.GetValue(filter.Hospital) ?? string.Empty,
                    Ward = parseResult.GetValue(filter.Ward) ?? string.Empty,
                };
                var items = await list.FetchAsync(parseResult, context, client.Worklists.ListWorklistItemsAsync(request, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, Columns, i => OutputWriter.ProtoJson(i), context.Stderr, "Nothing on this worklist.");
                return ExitCodes.Ok;
            });
    }
}
