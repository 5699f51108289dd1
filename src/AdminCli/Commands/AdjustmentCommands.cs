using System.CommandLine;
using System.Text.Json.Nodes;
using Grpc.Core;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights adjustments ...</c>: the reasonable adjustment flag (DAPB4019) and its items.</summary>
internal static class AdjustmentCommands
{
    private static readonly IReadOnlyList<Column<AdjustmentReviewDue>> ReviewColumns =
    [
        new("Patient", r => r.PatientLocalId),
        new("Name", r => r.PatientDisplayName),
        new("Hospital", r => r.Hospital),
        new("Ward", r => r.Ward),
        new("Review due (London)", r => TimeText.Format(r.ReviewDueTimeLocal, r.ReviewDueTime)),
        new("Overdue", r => r.Overdue ? "yes" : "no"),
        new("Last reviewed (London)", r => TimeText.Format(r.LastReviewedTime)),
        new("Active items", r => r.ActiveItemCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Record", r => r.AdjustmentRecord),
    ];

    private static readonly IReadOnlyList<Column<AdjustmentRecord>> RecordFields =
    [
        new("Name", r => r.Name),
        new("State", r => ProtoEnums.Display(r.State)),
        new("Content visible", r => r.ContentVisible ? "yes" : "no (this key's role sees only that a flag exists)"),
        new("Sharing", r => ProtoEnums.Display(r.SharingState)),
        new("Sharing decision", r => r.SharingDecision is null ? string.Empty : ProtoEnums.Display(r.SharingDecision.Decision)),
        new("Review", r => ProtoEnums.Display(r.ReviewState)),
        new("Review due (London)", r => TimeText.Format(r.ReviewDueTime)),
        new("Last reviewed (London)", r => TimeText.Format(r.LastReviewedTime)),
        new("Identified by", r => ProtoEnums.Display(r.IdentificationSource)),
        new("Removal", r => r.Removal is null ? string.Empty : $"{r.Removal.RemovalReasonCode}: {r.Removal.RemovalComment}"),
        new("Active items", r => r.ActiveItemCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Etag", r => r.Etag),
    ];

    private static readonly IReadOnlyList<Column<AdjustmentItem>> ItemColumns =
    [
        new("Kind", i => ProtoEnums.Display(i.Kind)),
        new("Detail", Describe),
        new("State", i => ProtoEnums.Display(i.State)),
        new("Recorded (London)", i => TimeText.Format(i.CreateTime)),
        new("Note", i => i.FreeText),
        new("Name", i => i.Name),
    ];

    private static readonly IReadOnlyList<Column<AdjustmentCode>> CodeColumns =
    [
        new("Table", c => ProtoEnums.Display(c.Table)),
        new("Code", c => c.Code),
        new("Alternate", c => c.AlternateCode),
        new("Category", c => c.CategoryCode),
        new("Display", c => c.Display),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "adjustments",
        "Reasonable adjustments: review worklist, the patient's flag and items, sharing, review, FHIR export",
        ReviewsDue(context),
        Show(context),
        Identify(context),
        Activate(context),
        Add(context),
        Remove(context),
        Share(context),
        Review(context),
        ExportFhir(context),
        Codes(context));

    /// <summary>The record and its items, or (null, []) when the patient has none; items only when content is visible.</summary>
    internal static async Task<(AdjustmentRecord? Record, IReadOnlyList<AdjustmentItem> Items)> LoadRecordAsync(MhaRightsClient client, string patientName, bool allStates, CancellationToken cancellationToken)
    {
        AdjustmentRecord record;
        try
        {
            record = await client.Adjustments.GetAdjustmentRecordAsync(RecordName(patientName), cancellationToken);
        }
        catch (MhaRightsException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return (null, []);
        }

        if (!record.ContentVisible)
        {
            return (record, []);
        }

        var request = new ListAdjustmentItemsRequest { Parent = record.Name };
        if (allStates)
        {
            request.States.Add(AdjustmentItem.Types.State.Unspecified);
        }

        return (record, await client.Adjustments.ListAdjustmentItemsAsync(request, cancellationToken).ToListAsync(cancellationToken));
    }

    internal static string Describe(AdjustmentItem item) => item.DetailCase switch
    {
        AdjustmentItem.DetailOneofCase.Adjustment => $"{item.Adjustment.CategoryCode} {item.Adjustment.CategoryDisplay}: {(string.IsNullOrEmpty(item.Adjustment.BespokeText) ? item.Adjustment.SnomedDisplay : item.Adjustment.BespokeText)} ({item.Adjustment.SnomedCode})",
        AdjustmentItem.DetailOneofCase.Impairment => $"impairment {item.Impairment.ImpairmentCode} {item.Impairment.ImpairmentDisplay}{(string.IsNullOrEmpty(item.Impairment.OtherText) ? string.Empty : ": " + item.Impairment.OtherText)}",
        AdjustmentItem.DetailOneofCase.UnderlyingCondition => $"condition {item.UnderlyingCondition.SnomedDisplay} ({item.UnderlyingCondition.SnomedCode})",
        _ => string.Empty,
    };

    private static string RecordName(string patientName) => $"{patientName}/adjustmentRecord";

    private static Command ReviewsDue(CliContext context)
    {
        var filter = new LocationFilter();
        var list = new ListOptions();
        var dueBefore = CommandKit.Text("--due-before", "Reviews due before this date or time (default now: overdue reviews)", "time");
        return CommandKit.Leaf(
            context,
            "reviews-due",
            "Worklist of active adjustment flags whose review is due, earliest first",
            ["mharights adjustments reviews-due --hospital RXM01", "mharights adjustments reviews-due --due-before 2026-04-01 --all -o csv"],
            [.. filter.Symbols, dueBefore, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var request = new ListAdjustmentReviewsDueRequest
                {
                    Hospital = parseResult.GetValue(filter.Hospital) ?? string.Empty,
                    Ward = parseResult.GetValue(filter.Ward) ?? string.Empty,
                };
                if (parseResult.GetValue(dueBefore) is { } text)
                {
                    request.DueBefore = TimeText.ToTimestamp(TimeText.Parse(text, "--due-before", context.Clock, allowDateOnly: true));
                }

                var client = context.Client(parseResult);
                var items = await list.FetchAsync(parseResult, context, client.Adjustments.ListAdjustmentReviewsDueAsync(request, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, ReviewColumns, r => OutputWriter.ProtoJson(r), context.Stderr, "No adjustment reviews due.");
                return ExitCodes.Ok;
            });
    }

    private static Command Show(CliContext context)
    {
        var patient = PatientArg();
        var all = CommandKit.Flag("--all-items", "Include removed and entered-in-error items");
        return CommandKit.Leaf(
            context,
            "show",
            "A patient's adjustment flag and its items",
            ["mharights adjustments show RIO-000123", "mharights adjustments show RIO-000123 --all-items -o json"],
            [patient, all],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var (record, items) = await LoadRecordAsync(client, name, parseResult.GetValue(all), cancellationToken);
                if (record is null)
                {
                    throw CliException.NotFound($"{parseResult.GetRequiredValue(patient)} has no reasonable adjustment record");
                }

                var output = context.Output(parseResult);
                switch (output.Format)
                {
                    case OutputFormat.Json:
                        output.WriteJson(new JsonObject
                        {
                            ["record"] = OutputWriter.ProtoJson(record),
                            ["items"] = new JsonArray([.. items.Select(i => OutputWriter.ProtoJson(i))]),
                        });
                        break;
                    case OutputFormat.Csv:
                        output.WriteList(items, ItemColumns, _ => null, context.Stderr);
                        break;
                    default:
                        output.WriteItem(record, RecordFields, _ => null);
                        output.WriteList(items, ItemColumns, _ => null, context.Stderr, "No items.");
                        break;
                }

                return ExitCodes.Ok;
            });
    }

    private static Command Identify(CliContext context)
    {
        var patient = PatientArg();
        var source = CommandKit.Required("--source", ProtoEnums.Choices<AdjustmentRecord.Types.IdentificationSource>(), "source");
        var note = CommandKit.Text("--note", "Detail (required for source other), e.g. the referral reference", "text");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "identify",
            "Record that a need for reasonable adjustments was identified (creates the flag, state identified)",
            ["mharights adjustments identify RIO-000123 --source registration-question"],
            [patient, source, note, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var request = new IdentifyAdjustmentNeedsRequest
                {
                    Parent = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken),
                    IdentificationSource = ProtoEnums.Parse<AdjustmentRecord.Types.IdentificationSource>(parseResult.GetRequiredValue(source), "--source"),
                    IdentificationNote = parseResult.GetValue(note) ?? string.Empty,
                    NhsUser = nhsUser.Value(parseResult),
                };
                var record = await client.Adjustments.IdentifyAdjustmentNeedsAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(record, RecordFields, r => OutputWriter.ProtoJson(r));
                return ExitCodes.Ok;
            });
    }

    private static Command Activate(CliContext context)
    {
        var patient = PatientArg();
        var reviewDue = CommandKit.Text("--review-due", "First review date (default: the trust's interval)", "date");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "activate",
            "Confirm the Equality Act threshold (a clinician's decision), making the flag active and shown on every patient view",
            ["mharights adjustments activate RIO-000123 --sds-user-id 123456789012 --sds-role-profile-id 555555555555 --sds-job-role R0050 --ods-code RXM"],
            [patient, reviewDue, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var request = new ActivateAdjustmentRecordRequest { Name = RecordName(name), ThresholdConfirmed = true, NhsUser = nhsUser.Value(parseResult) };
                if (parseResult.GetValue(reviewDue) is { } text)
                {
                    request.ReviewDueTime = TimeText.ToTimestamp(TimeText.Parse(text, "--review-due", context.Clock, allowDateOnly: true));
                }

                var record = await client.Adjustments.ActivateAdjustmentRecordAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(record, RecordFields, r => OutputWriter.ProtoJson(r));
                return ExitCodes.Ok;
            });
    }

    private static Command Add(CliContext context)
    {
        var patient = PatientArg();
        var adjustment = CommandKit.Text("--adjustment", "An adjustment as CATEGORY:SNOMED, e.g. 001:1326101000000106 (see 'adjustments codes')", "category:snomed");
        var bespoke = CommandKit.Text("--bespoke-text", "The adjustment in the clinician's words (category 011 only)", "text");
        var impairment = CommandKit.Text("--impairment", "An impairment code 1-10 or 12 (or its name, e.g. hearing)", "code");
        var otherText = CommandKit.Text("--other-text", "\"Please specify\" text for impairment 10 (other)", "text");
        var condition = CommandKit.Text("--condition", "An underlying condition's SNOMED CT code (with --condition-display)", "snomed");
        var conditionDisplay = CommandKit.Text("--condition-display", "The condition as the clinician names it", "text");
        var note = CommandKit.Text("--note", "Free-text note about the item", "text");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "add",
            "Add an adjustment, impairment or underlying condition to the patient's flag (give exactly one of --adjustment, --impairment, --condition)",
            ["mharights adjustments add RIO-000123 --adjustment 001:1326101000000106 --note \"Polish interpreter\"", "mharights adjustments add RIO-000123 --impairment hearing"],
            [patient, adjustment, bespoke, impairment, otherText, condition, conditionDisplay, note, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var item = new AdjustmentItem { FreeText = parseResult.GetValue(note) ?? string.Empty };
                var given = new[] { parseResult.GetValue(adjustment), parseResult.GetValue(impairment), parseResult.GetValue(condition) }.Count(v => v is not null);
                if (given != 1)
                {
                    throw CliException.Usage("give exactly one of --adjustment, --impairment or --condition");
                }

                if (parseResult.GetValue(adjustment) is { } a)
                {
                    var parts = a.Split(':', 2);
                    if (parts.Length != 2)
                    {
                        throw CliException.Usage($"--adjustment '{a}' is not CATEGORY:SNOMED, e.g. 001:1326101000000106");
                    }

                    item.Adjustment = new AdjustmentDetail { CategoryCode = parts[0].Trim(), SnomedCode = parts[1].Trim(), BespokeText = parseResult.GetValue(bespoke) ?? string.Empty };
                }
                else if (parseResult.GetValue(impairment) is { } i)
                {
                    item.Impairment = new ImpairmentDetail { ImpairmentCode = i.Trim(), OtherText = parseResult.GetValue(otherText) ?? string.Empty };
                }
                else
                {
                    item.UnderlyingCondition = new UnderlyingConditionDetail
                    {
                        SnomedCode = parseResult.GetValue(condition)!.Trim(),
                        SnomedDisplay = parseResult.GetValue(conditionDisplay) ?? throw CliException.Usage("--condition needs --condition-display"),
                    };
                }

                var client = context.Client(parseResult);
                var name = await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken);
                var created = await client.Adjustments.CreateAdjustmentItemAsync(
                    new CreateAdjustmentItemRequest { Parent = RecordName(name), AdjustmentItem = item, NhsUser = nhsUser.Value(parseResult) },
                    cancellationToken);
                context.Output(parseResult).WriteItem(created, ItemColumns, x => OutputWriter.ProtoJson(x));
                return ExitCodes.Ok;
            });
    }

    private static Command Remove(CliContext context)
    {
        var target = CommandKit.Arg("target", "An item (patients/.../adjustmentRecord/items/...) or a patient (removes the whole flag)");
        var reason = CommandKit.Text("--reason", "Removal reason: PatientDissent, ProxyDissent, DoesntApply or BestInterest (use --entered-in-error for mistakes)", "code");
        var comment = CommandKit.Required("--comment", "Why (required, at most 2000 characters)", "text");
        var enteredInError = CommandKit.Flag("--entered-in-error", "It was recorded in error (hidden from clinical views, kept for audit)");
        var decisionMaker = CommandKit.Text("--decision-maker", "For BestInterest: name and role of the decision maker", "text");
        var summary = CommandKit.Text("--decision-summary", "For BestInterest: the decision and its reasons", "text");
        var yes = CommandKit.Flag("--yes", "Do not ask for confirmation");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "remove",
            "Remove one item, or the whole flag, with a reason from the national list and a comment",
            [
                "mharights adjustments remove patients/p1/adjustmentRecord/items/i1 --reason DoesntApply --comment \"Hearing aid fitted\" --yes",
                "mharights adjustments remove RIO-000123 --reason PatientDissent --comment \"Patient asked for the flag to be removed\" --yes",
            ],
            [target, reason, comment, enteredInError, decisionMaker, summary, yes, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var value = parseResult.GetRequiredValue(target).Trim();
                var error = parseResult.GetValue(enteredInError);
                var reasonCode = parseResult.GetValue(reason);
                if (error == (reasonCode is not null))
                {
                    throw CliException.Usage("give either --reason or --entered-in-error");
                }

                AdjustmentBestInterestDecision? bestInterest = null;
                if (parseResult.GetValue(decisionMaker) is { } maker)
                {
                    bestInterest = new AdjustmentBestInterestDecision { DecisionMaker = maker, Summary = parseResult.GetValue(summary) ?? string.Empty };
                }

                var client = context.Client(parseResult);
                var commentText = parseResult.GetRequiredValue(comment);
                var output = context.Output(parseResult);
                if (value.Contains("/items/", StringComparison.Ordinal))
                {
                    context.Confirm($"Remove {value}?", parseResult.GetValue(yes));
                    var item = error
                        ? await client.Adjustments.MarkAdjustmentItemEnteredInErrorAsync(new MarkAdjustmentItemEnteredInErrorRequest { Name = value, RemovalComment = commentText, NhsUser = nhsUser.Value(parseResult) }, cancellationToken)
                        : await client.Adjustments.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = value, RemovalReasonCode = reasonCode!, RemovalComment = commentText, BestInterestDecision = bestInterest, NhsUser = nhsUser.Value(parseResult) }, cancellationToken);
                    output.WriteItem(item, ItemColumns, x => OutputWriter.ProtoJson(x));
                    return ExitCodes.Ok;
                }

                var name = RecordName(await Resolve.PatientNameAsync(client, value, cancellationToken));
                context.Confirm($"Remove the whole adjustment flag {name} and all its items?", parseResult.GetValue(yes));
                var record = error
                    ? await client.Adjustments.MarkAdjustmentRecordEnteredInErrorAsync(new MarkAdjustmentRecordEnteredInErrorRequest { Name = name, RemovalComment = commentText, NhsUser = nhsUser.Value(parseResult) }, cancellationToken)
                    : await client.Adjustments.RemoveAdjustmentRecordAsync(new RemoveAdjustmentRecordRequest { Name = name, RemovalReasonCode = reasonCode!, RemovalComment = commentText, BestInterestDecision = bestInterest, NhsUser = nhsUser.Value(parseResult) }, cancellationToken);
                output.WriteItem(record, RecordFields, r => OutputWriter.ProtoJson(r));
                return ExitCodes.Ok;
            });
    }

    private static Command Share(CliContext context)
    {
        var patient = PatientArg();
        var decision = CommandKit.Required("--decision", ProtoEnums.Choices<AdjustmentSharingDecision.Types.Decision>(), "decision");
        var proxyRole = CommandKit.Text("--proxy-role", "Who consented or declined: 001 patient, 002 best interest, 003 LPA or deputy, 004 parental responsibility", "code");
        var representative = CommandKit.Text("--representative", "Representative's name (proxy roles 003 and 004)", "name");
        var relationship = CommandKit.Text("--relationship", "Representative's relationship to the patient", "text");
        var decisionMaker = CommandKit.Text("--decision-maker", "For best-interest-decision: name and role of the decision maker", "text");
        var summary = CommandKit.Text("--decision-summary", "For best-interest-decision: the decision and its reasons", "text");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "share",
            "Record the decision whether the flag may be shared with the national Patient Flags service",
            ["mharights adjustments share RIO-000123 --decision consented --proxy-role 001", "mharights adjustments share RIO-000123 --decision declined --proxy-role 001"],
            [patient, decision, proxyRole, representative, relationship, decisionMaker, summary, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var value = new AdjustmentSharingDecision
                {
                    Decision = ProtoEnums.Parse<AdjustmentSharingDecision.Types.Decision>(parseResult.GetRequiredValue(decision), "--decision"),
                    ConsentProxyRoleCode = parseResult.GetValue(proxyRole) ?? string.Empty,
                    RepresentativeName = parseResult.GetValue(representative) ?? string.Empty,
                    RepresentativeRelationship = parseResult.GetValue(relationship) ?? string.Empty,
                };
                if (parseResult.GetValue(decisionMaker) is { } maker)
                {
                    value.BestInterestDecision = new AdjustmentBestInterestDecision { DecisionMaker = maker, Summary = parseResult.GetValue(summary) ?? string.Empty };
                }

                var client = context.Client(parseResult);
                var name = RecordName(await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken));
                var record = await client.Adjustments.RecordSharingDecisionAsync(new RecordSharingDecisionRequest { Name = name, SharingDecision = value, NhsUser = nhsUser.Value(parseResult) }, cancellationToken);
                context.Output(parseResult).WriteItem(record, RecordFields, r => OutputWriter.ProtoJson(r));
                return ExitCodes.Ok;
            });
    }

    private static Command Review(CliContext context)
    {
        var patient = PatientArg();
        var next = CommandKit.Text("--next-review", "When the next review is due (default: the trust's interval)", "date");
        var note = CommandKit.Text("--note", "Review outcome, kept in the audit trail", "text");
        var nhsUser = new NhsUserOptions();
        return CommandKit.Leaf(
            context,
            "review",
            "Record that the adjustments were reviewed with the patient",
            ["mharights adjustments review RIO-000123 --note \"Still needs interpreter\"", "mharights adjustments review RIO-000123 --next-review 2027-03-01"],
            [patient, next, note, .. nhsUser.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = RecordName(await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken));
                var request = new MarkAdjustmentRecordReviewedRequest { Name = name, ReviewNote = parseResult.GetValue(note) ?? string.Empty, NhsUser = nhsUser.Value(parseResult) };
                if (parseResult.GetValue(next) is { } text)
                {
                    request.NextReviewTime = TimeText.ToTimestamp(TimeText.Parse(text, "--next-review", context.Clock, allowDateOnly: true));
                }

                var record = await client.Adjustments.MarkAdjustmentRecordReviewedAsync(request, cancellationToken);
                context.Output(parseResult).WriteItem(record, RecordFields, r => OutputWriter.ProtoJson(r));
                return ExitCodes.Ok;
            });
    }

    private static Command ExportFhir(CliContext context)
    {
        var patient = PatientArg();
        var file = CommandKit.Text("--file", "Write the FHIR Bundle to this file (default: the bundle itself on stdout)", "path");
        var force = CommandKit.Flag("--force", "Overwrite the file if it exists");
        return CommandKit.Leaf(
            context,
            "export-fhir",
            "Build the national Patient Flags FHIR R4 transaction Bundle for the patient's active flag",
            ["mharights adjustments export-fhir RIO-000123 --file flag-RIO-000123.json", "mharights adjustments export-fhir RIO-000123 > bundle.json"],
            [patient, file, force],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var name = RecordName(await Resolve.PatientNameAsync(client, parseResult.GetRequiredValue(patient), cancellationToken));
                var path = parseResult.GetValue(file);
                if (path is not null && File.Exists(path) && !parseResult.GetValue(force))
                {
                    throw new CliException(ExitCodes.Conflict, $"{path} exists; add --force to overwrite it");
                }

                var response = await client.Adjustments.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = name }, cancellationToken);
                if (path is null)
                {
                    // The bundle is the data: stdout gets it as is, whatever -o says.
                    context.Output(parseResult).WriteText(response.Bundle.ToStringUtf8());
                    return ExitCodes.Ok;
                }

                await File.WriteAllBytesAsync(path, response.Bundle.ToByteArray(), cancellationToken);
                context.Stderr.WriteLine($"Wrote {response.Bundle.Length} bytes ({response.ExportedItems.Count} item(s)) to {path}.");
                var summary = new JsonObject
                {
                    ["file"] = Path.GetFullPath(path),
                    ["bytes"] = response.Bundle.Length,
                    ["contentType"] = response.ContentType,
                    ["exportedItems"] = new JsonArray([.. response.ExportedItems.Select(i => (JsonNode)JsonValue.Create(i)!)]),
                    ["etag"] = response.Etag,
                };
                var output = context.Output(parseResult);
                if (output.Format == OutputFormat.Json)
                {
                    output.WriteJson(summary);
                }
                else
                {
                    output.WriteItem(response, ExportFields(path), _ => null);
                }

                return ExitCodes.Ok;
            });
    }

    private static Column<ExportAdjustmentFhirBundleResponse>[] ExportFields(string path) =>
    [
        new("File", _ => Path.GetFullPath(path)),
        new("Bytes", r => r.Bundle.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Items", r => string.Join(" ", r.ExportedItems)),
        new("Etag", r => r.Etag),
    ];

    private static Command Codes(CliContext context)
    {
        var table = CommandKit.Text("--table", ProtoEnums.Choices<AdjustmentCodeTable>(), "table");
        var category = CommandKit.Text("--category", "With --table adjustment-codes: only this category (e.g. 001)", "code");
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            "codes",
            "The code tables adjustments are validated against (categories, SNOMED CT adjustments, impairments, removal reasons...)",
            ["mharights adjustments codes --table adjustment-categories", "mharights adjustments codes --table adjustment-codes --category 001 --all"],
            [table, category, .. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var request = new ListAdjustmentCodesRequest
                {
                    Table = parseResult.GetValue(table) is { } t ? ProtoEnums.Parse<AdjustmentCodeTable>(t, "--table") : AdjustmentCodeTable.Unspecified,
                    CategoryCode = parseResult.GetValue(category) ?? string.Empty,
                };
                var client = context.Client(parseResult);
                var items = await list.FetchAsync(parseResult, context, client.Adjustments.ListAdjustmentCodesAsync(request, cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, CodeColumns, c => OutputWriter.ProtoJson(c), context.Stderr);
                return ExitCodes.Ok;
            });
    }

    private static Argument<string> PatientArg() => CommandKit.Arg("patient", "Local id, NHS number or patients/... name");
}

/// <summary>
/// The NHS CIS2 identity of the person acting, which the national Patient Flags export needs for its Provenance.
/// Optional on every adjustment change; the four flags go together.
/// </summary>
internal sealed class NhsUserOptions
{
    public Option<string?> SdsUserId { get; } = new("--sds-user-id") { Description = "NHS identity: SDS user id (12 digits)", HelpName = "id" };

    public Option<string?> RoleProfileId { get; } = new("--sds-role-profile-id") { Description = "NHS identity: SDS role profile id (12 digits)", HelpName = "id" };

    public Option<string?> JobRole { get; } = new("--sds-job-role") { Description = "NHS identity: SDS job role code, e.g. R0050", HelpName = "code" };

    public Option<string?> OdsCode { get; } = new("--ods-code") { Description = "NHS identity: ODS code of the organisation", HelpName = "code" };

    public IEnumerable<Symbol> Symbols => [SdsUserId, RoleProfileId, JobRole, OdsCode];

    public AdjustmentNhsUser? Value(ParseResult parseResult)
    {
        string?[] values = [parseResult.GetValue(SdsUserId), parseResult.GetValue(RoleProfileId), parseResult.GetValue(JobRole), parseResult.GetValue(OdsCode)];
        var given = values.Count(v => v is not null);
        if (given == 0)
        {
            return null;
        }

        if (given != values.Length)
        {
            throw CliException.Usage("--sds-user-id, --sds-role-profile-id, --sds-job-role and --ods-code go together");
        }

        return new AdjustmentNhsUser { SdsUserId = values[0], SdsRoleProfileId = values[1], SdsJobRoleCode = values[2], OdsOrganizationCode = values[3] };
    }
}
