using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>Items (§7.1): coded against the national tables (§2.3, §2.4), removed with reason + comment, edited by supersession.</summary>
public sealed class AdjustmentItemApiTests
{
    [Fact]
    public async Task CreateItem_UnknownSnomedCode_InvalidArgumentNamingSnomedField()
    {
        await using var app = await TestApp.StartAsync();
        var (_, record) = await app.ActiveRecordAsync();

        // The sandbox mock's mistyped "Requires visual alert" code (§2.4 example-data quirks).
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Adjustments().AddAsync(record, Adjustment("001", "7961610000001018")));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("adjustment_item.adjustment.snomed_code", violation.Field);
        Assert.Contains("not in the national adjustment value set", violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync("AdjustmentItems"));
    }

    [Fact]
    public async Task CreateItem_CodeFromAnotherCategory_InvalidArgumentNamingCategoryAndTheRightCategory()
    {
        await using var app = await TestApp.StartAsync();
        var (_, record) = await app.ActiveRecordAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Adjustments().AddAsync(record, Adjustment("001", BslInterpreter)));

        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("adjustment_item.adjustment.category_code", violation.Field);
        Assert.Contains("belongs to category 002", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateItem_CodeInTwoCategories_StoredWithTheCategoryGiven()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();

        // 105506000 "Dependence on seeing eye dog" is in 007 and 008 (§2.4); kebab-case codes are accepted and stored numeric.
        var in007 = await client.AddAsync(record, Adjustment("adjustments-for-providing-additional-support-to-patients", "105506000"));
        var in008 = await client.AddAsync(record, Adjustment("008", "105506000"));

        Assert.Equal("007", in007.Adjustment.CategoryCode);
        Assert.Equal("008", in008.Adjustment.CategoryCode);
        Assert.Equal("Dependence on seeing eye dog", in008.Adjustment.SnomedDisplay);
        Assert.Equal(AdjustmentItem.Types.Kind.Adjustment, in008.Kind);
    }

    [Fact]
    public async Task CreateItem_BespokeAndOtherTextRules_EnforcedOnTheirFields()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();

        var noBespoke = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Adjustment("011", "1108111000000107")));
        Assert.Equal("adjustment_item.adjustment.bespoke_text", Assert.Single(noBespoke.BadRequest().FieldViolations).Field);
        var noOther = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Impairment("10")));
        Assert.Equal("adjustment_item.impairment.other_text", Assert.Single(noOther.BadRequest().FieldViolations).Field);
        var code11 = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Impairment("11")));
        Assert.Equal("adjustment_item.impairment.impairment_code", Assert.Single(code11.BadRequest().FieldViolations).Field);
        var badCondition = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Condition("35919006", "Autism")));
        Assert.Equal("adjustment_item.underlying_condition.snomed_code", Assert.Single(badCondition.BadRequest().FieldViolations).Field);
        var noDetail = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, new AdjustmentItem { FreeText = "?" }));
        Assert.Equal("adjustment_item.detail", Assert.Single(noDetail.BadRequest().FieldViolations).Field);

        var bespoke = await client.AddAsync(record, Adjustment("011", "1108111000000107", bespoke: "Meet in the garden room, not on the ward."));
        var other = await client.AddAsync(record, Impairment("other", otherText: "Chronic pain"));
        var condition = await client.AddAsync(record, Condition(Autism, "Autism spectrum disorder"));
        Assert.Equal("Meet in the garden room, not on the ward.", bespoke.Adjustment.BespokeText);
        Assert.Equal(("10", "Chronic pain", "issue"), (other.Impairment.ImpairmentCode, other.Impairment.OtherText, other.Impairment.ConditionCategoryCode));
        Assert.Equal(Autism, condition.UnderlyingCondition.SnomedCode);
    }

    [Fact]
    public async Task CreateItem_SameCodeAlreadyActiveFromSameOrganisation_InvalidArgumentNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var first = await client.AddAsync(record, Adjustment("004", EasyRead));
        var auditBefore = await app.CountAsync("AuditEvents");

        var again = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Adjustment("004", EasyRead, freeText: "again")));
        var auditAfter = await app.CountAsync("AuditEvents");
        await client.AddAsync(record, Impairment("3"));
        var impairmentAgain = await Assert.ThrowsAsync<RpcException>(() => client.AddAsync(record, Impairment("3")));

        Assert.Equal(StatusCode.InvalidArgument, again.StatusCode);
        var violation = Assert.Single(again.BadRequest().FieldViolations);
        Assert.Equal("adjustment_item.adjustment.snomed_code", violation.Field);
        Assert.Contains(first.Name, violation.Description, StringComparison.Ordinal);
        Assert.Equal("adjustment_item.impairment.impairment_code", Assert.Single(impairmentAgain.BadRequest().FieldViolations).Field);
        Assert.Equal(2, await app.CountAsync("AdjustmentItems"));
        Assert.Equal(auditBefore, auditAfter);
    }

    [Fact]
    public async Task CreateItem_SameCodeFromAnotherOrganisationOrAfterRemoval_Allowed()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var first = await client.AddAsync(record, Adjustment("004", EasyRead));

        // RAU005: another organisation adds the same adjustment with its own comment.
        var otherOrganisation = NhsUser();
        otherOrganisation.OdsOrganizationCode = "Y05";
        var fromGp = await client.CreateAdjustmentItemAsync(new CreateAdjustmentItemRequest
        {
            Parent = record.Name, AdjustmentItem = Adjustment("004", EasyRead, freeText: "GP practice: large print too"), NhsUser = otherOrganisation,
        });

        // Ended items do not count: the same organisation may record it again, and a replacement may keep the code.
        var replaced = await client.ReplaceAdjustmentItemAsync(new ReplaceAdjustmentItemRequest
        {
            Name = first.Name, Replacement = Adjustment("004", EasyRead, freeText: "Easy read, one page"), RemovalReasonCode = "DoesntApply",
            RemovalComment = "Wording clarified", NhsUser = NhsUser(),
        });

        Assert.Equal(EasyRead, fromGp.Adjustment.SnomedCode);
        Assert.Equal(first.Name, replaced.NewItem.Supersedes);
        Assert.Equal(3, await app.CountAsync("AdjustmentItems"));
    }

    [Fact]
    public async Task CreateItem_ClientChosenIdTaken_AlreadyExists()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (patient, record) = await app.ActiveRecordAsync();
        var request = new CreateAdjustmentItemRequest { Parent = record.Name, AdjustmentItem = Impairment("3"), AdjustmentItemId = "mobility" };

        var created = await client.CreateAdjustmentItemAsync(request);
        request.AdjustmentItem = Impairment("4");
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.CreateAdjustmentItemAsync(request).ResponseAsync);

        Assert.Equal($"{patient.Name}/adjustmentRecord/items/mobility", created.Name);
        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
    }

    [Fact]
    public async Task ReplaceItem_NewCode_OldRemovedWithReasonAndNewLinkedBothWays()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var old = await client.AddAsync(record, Adjustment("004", EasyRead));

        var replaced = await client.ReplaceAdjustmentItemAsync(new ReplaceAdjustmentItemRequest
        {
            Name = old.Name,
            Replacement = Adjustment("004", "957331000000109"),
            RemovalReasonCode = "DoesntApply",
            RemovalComment = "Large print suits better than easy read.",
            Etag = old.Etag,
            NhsUser = NhsUser(),
        });

        Assert.Equal(AdjustmentItem.Types.State.Removed, replaced.ReplacedItem.State);
        Assert.Equal("DoesntApply", replaced.ReplacedItem.Removal.RemovalReasonCode);
        Assert.Equal("Large print suits better than easy read.", replaced.ReplacedItem.Removal.RemovalComment);
        Assert.Equal(replaced.NewItem.Name, replaced.ReplacedItem.SupersededBy);
        Assert.Equal(old.Name, replaced.NewItem.Supersedes);
        Assert.Equal(AdjustmentItem.Types.State.Active, replaced.NewItem.State);
        Assert.Equal("957331000000109", replaced.NewItem.Adjustment.SnomedCode);

        var active = await client.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name });
        Assert.Equal(replaced.NewItem.Name, Assert.Single(active.AdjustmentItems).Name);
        var audit = await app.AuditOfAsync(old.Name);
        Assert.Contains(audit, e => e.Action == "Supersede" && e.FromState == "Active" && e.ToState == "Removed" && e.Trigger == "ReplaceAdjustmentItem");

        // The old item cannot be replaced again.
        var again = await Assert.ThrowsAsync<RpcException>(() => client.ReplaceAdjustmentItemAsync(new ReplaceAdjustmentItemRequest
        {
            Name = old.Name, Replacement = Adjustment("004", EasyRead), RemovalReasonCode = "DoesntApply", RemovalComment = "x",
        }).ResponseAsync);
        Assert.Equal(("Removed", "Supersede"), (again.ErrorInfo().Metadata["state"], again.ErrorInfo().Metadata["trigger"]));
    }

    [Fact]
    public async Task ReplaceItem_ReasonErrorOrDifferentKind_EnteredInErrorOrRefused()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var old = await client.AddAsync(record, Impairment("1"));

        var kind = await Assert.ThrowsAsync<RpcException>(() => client.ReplaceAdjustmentItemAsync(new ReplaceAdjustmentItemRequest
        {
            Name = old.Name, Replacement = Adjustment("008", ExtendedAppointment), RemovalReasonCode = "Error", RemovalComment = "Wrong code.",
        }).ResponseAsync);
        Assert.Equal("replacement.detail", Assert.Single(kind.BadRequest().FieldViolations).Field);

        var replaced = await client.ReplaceAdjustmentItemAsync(new ReplaceAdjustmentItemRequest
        {
            Name = old.Name, Replacement = Impairment("2"), RemovalReasonCode = "Error", RemovalComment = "Hearing, not vision.",
        });
        Assert.Equal(AdjustmentItem.Types.State.EnteredInError, replaced.ReplacedItem.State);
        Assert.Equal(old.Name, replaced.NewItem.Supersedes);
    }

    [Fact]
    public async Task RemoveItem_ThenMarkEnteredInError_ThenRefused()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var item = await client.AddAsync(record, Adjustment("009", LowNoise));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = item.Name, RemovalReasonCode = "Error", RemovalComment = "x" }).ResponseAsync);
        Assert.Equal("removal_reason_code", Assert.Single(error.BadRequest().FieldViolations).Field);
        var noComment = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = item.Name, RemovalReasonCode = "DoesntApply" }).ResponseAsync);
        Assert.Equal("removal_comment", Assert.Single(noComment.BadRequest().FieldViolations).Field);

        var removed = await client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = item.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Moved to a quiet ward.", Etag = item.Etag });
        Assert.Equal(AdjustmentItem.Types.State.Removed, removed.State);
        var removeAgain = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = item.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "x" }).ResponseAsync);
        Assert.Equal(("Removed", "Remove"), (removeAgain.ErrorInfo().Metadata["state"], removeAgain.ErrorInfo().Metadata["trigger"]));

        var stale = await Assert.ThrowsAsync<RpcException>(() => client.MarkAdjustmentItemEnteredInErrorAsync(new MarkAdjustmentItemEnteredInErrorRequest { Name = item.Name, RemovalComment = "x", Etag = item.Etag }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        var corrected = await client.MarkAdjustmentItemEnteredInErrorAsync(new MarkAdjustmentItemEnteredInErrorRequest { Name = item.Name, RemovalComment = "Recorded on the wrong patient.", Etag = removed.Etag });
        Assert.Equal(AdjustmentItem.Types.State.EnteredInError, corrected.State);
        var twice = await Assert.ThrowsAsync<RpcException>(() => client.MarkAdjustmentItemEnteredInErrorAsync(new MarkAdjustmentItemEnteredInErrorRequest { Name = item.Name, RemovalComment = "x" }).ResponseAsync);
        Assert.Equal(("EnteredInError", "MarkEnteredInError"), (twice.ErrorInfo().Metadata["state"], twice.ErrorInfo().Metadata["trigger"]));
        Assert.Empty((await client.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name })).AdjustmentItems);
    }

    [Fact]
    public async Task ListItems_FiltersAndPages_KeysetPaginationOldestFirst()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        var names = new List<string>();
        foreach (var code in new[] { "1", "2", "3", "4", "5" })
        {
            names.Add((await client.AddAsync(record, Impairment(code))).Name);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await client.AddAsync(record, Adjustment("008", ExtendedAppointment));
        var seen = new List<string>();
        var request = new ListAdjustmentItemsRequest { Parent = record.Name, PageSize = 2, Kinds = { AdjustmentItem.Types.Kind.Impairment } };
        do
        {
            var page = await client.ListAdjustmentItemsAsync(request);
            seen.AddRange(page.AdjustmentItems.Select(i => i.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(names, seen);
        request.PageToken = (await client.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name, PageSize = 1 })).NextPageToken;
        var changed = await Assert.ThrowsAsync<RpcException>(() => client.ListAdjustmentItemsAsync(request).ResponseAsync);
        Assert.Equal("page_token", Assert.Single(changed.BadRequest().FieldViolations).Field);
    }
}
