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
        new("Provision", i => LegalNames.Display(i.Duty?.Provision ?? Provision.Unspecified)),
        new("Hospital", i => i.Duty?.Hospital),
        new("Ward", i => i.Duty?.Ward),
        new("Action by (London)", i => TimeText.Format(i.ActionTimeLocal, i.ActionTime)),
        new("Past due", i => i.PastDue ? "yes" : "no"),
        new("Attempts", i => (i.Duty?.AttemptCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Duty name", i => i.Duty?.Name),
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
