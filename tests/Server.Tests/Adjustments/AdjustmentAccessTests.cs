using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>§1.1, §3.6: the existence of a flag is visible to every authorised caller, its content only to clinical roles; content reads are audited.</summary>
public sealed class AdjustmentAccessTests
{
    [Fact]
    public async Task GetRecord_RoleWithoutContentAccess_ExistenceAndStateOnlyAndNotAudited()
    {
        await using var app = await TestApp.StartAsync();
        var (_, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));
        var before = (await app.AuditOfAsync(record.Name)).Count;

        var seen = await app.Adjustments(Roles.Auditor).GetAsync(record);

        Assert.False(seen.ContentVisible);
        Assert.Equal(AdjustmentRecord.Types.State.Active, seen.State);
        Assert.Equal(record.Name, seen.Name);
        Assert.Equal(0, seen.ActiveItemCount);
        Assert.Null(seen.ThresholdConfirmation);
        Assert.Null(seen.SharingDecision);
        Assert.Equal(AdjustmentRecord.Types.SharingState.Unspecified, seen.SharingState);
        Assert.Equal(before, (await app.AuditOfAsync(record.Name)).Count);
    }

    [Theory]
    [InlineData(Roles.Clinician)]
    [InlineData(Roles.MhaOffice)]
    [InlineData(Roles.EprIntegration)]
    public async Task GetRecord_ClinicalRole_ContentReturnedAndViewAuditedWithWhoAndWhose(string role)
    {
        await using var app = await TestApp.StartAsync();
        var (patient, record) = await app.ActiveRecordAsync();
        await app.Adjustments().AddAsync(record, Adjustment("002", BslInterpreter));

        var seen = await app.Adjustments(role).GetAsync(record);
        await app.Adjustments(role).ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name });

        Assert.True(seen.ContentVisible);
        Assert.Equal(1, seen.ActiveItemCount);
        var views = (await app.AuditOfAsync(record.Name)).Where(e => e.Action.StartsWith("View", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ViewGetAdjustmentRecord", "ViewListAdjustmentItems"], views.Select(v => v.Action));
        Assert.All(views, v => Assert.Equal(role, v.Actor.Role));
        Assert.All(views, v => Assert.Equal(patient.Name, v.Patient));
    }

    [Fact]
    public async Task ContentMethods_RoleWithoutContentAccess_PermissionDenied()
    {
        await using var app = await TestApp.StartAsync();
        var (_, record) = await app.ActiveRecordAsync();
        var auditor = app.Adjustments(Roles.Auditor);

        var items = await Assert.ThrowsAsync<RpcException>(() => auditor.ListAdjustmentItemsAsync(new ListAdjustmentItemsRequest { Parent = record.Name }).ResponseAsync);
        var export = await Assert.ThrowsAsync<RpcException>(() => auditor.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name }).ResponseAsync);
        var create = await Assert.ThrowsAsync<RpcException>(() => auditor.AddAsync(record, Impairment("1")));

        Assert.All([items, export, create], ex => Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode));
    }
}
