using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>The seeded, versioned code tables (§7.4) served by ListAdjustmentCodes.</summary>
public sealed class AdjustmentCodesApiTests
{
    [Fact]
    public async Task ListCodes_AdjustmentCodesPaged_All348RowsLoadWith339DistinctCodes()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments(Roles.Auditor);
        var rows = new List<AdjustmentCode>();
        var request = new ListAdjustmentCodesRequest { Table = AdjustmentCodeTable.AdjustmentCodes, PageSize = 100 };
        ListAdjustmentCodesResponse page;
        do
        {
            page = await client.ListAdjustmentCodesAsync(request);
            rows.AddRange(page.AdjustmentCodes);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(348, rows.Count);
        Assert.Equal(339, rows.Select(r => r.Code).Distinct().Count());
        Assert.Equal(348, Assert.Single(page.TableVersions).RowCount);
        Assert.Equal(2, rows.Count(r => r.Code == "105506000"));
        Assert.All(rows, r => Assert.Equal("http://snomed.info/sct", r.System));
    }

    [Fact]
    public async Task ListCodes_CategoryFilterAndAllTables_FilteredAndEveryTableVersioned()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();

        var bespoke = await client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { Table = AdjustmentCodeTable.AdjustmentCodes, CategoryCode = "bespoke-reasonable-adjustments" });
        var all = await client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { PageSize = 1000 });

        var row = Assert.Single(bespoke.AdjustmentCodes);
        Assert.Equal(("1108111000000107", "011", true), (row.Code, row.CategoryCode, row.RequiresText));
        Assert.Equal(10, all.TableVersions.Count);
        Assert.Equal(all.TableVersions.Sum(t => t.RowCount), all.AdjustmentCodes.Count);
        Assert.Contains(all.AdjustmentCodes, c => c.Table == AdjustmentCodeTable.RemovalReasons && c.Code == "Error" && c.Key == "entered-in-error");
    }

    [Fact]
    public async Task ListCodes_BadArguments_InvalidArgumentNamingField()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();

        var wrongTable = await Assert.ThrowsAsync<RpcException>(() => client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { Table = AdjustmentCodeTable.ImpairmentCodes, CategoryCode = "001" }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { Table = AdjustmentCodeTable.AdjustmentCodes, CategoryCode = "012" }).ResponseAsync);
        var token = (await client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { PageSize = 1 })).NextPageToken;
        var changed = await Assert.ThrowsAsync<RpcException>(() => client.ListAdjustmentCodesAsync(new ListAdjustmentCodesRequest { Table = AdjustmentCodeTable.AnchorCodes, PageToken = token }).ResponseAsync);

        Assert.Equal("category_code", Assert.Single(wrongTable.BadRequest().FieldViolations).Field);
        Assert.Equal("category_code", Assert.Single(unknown.BadRequest().FieldViolations).Field);
        Assert.Equal("page_token", Assert.Single(changed.BadRequest().FieldViolations).Field);
    }
}
