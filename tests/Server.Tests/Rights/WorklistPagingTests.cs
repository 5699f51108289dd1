using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>Worklists walked one row per page give the same rows, in the same order, as one large page.</summary>
public sealed class WorklistPagingTests
{
    [Fact]
    public async Task ListWorklistItems_PagedOneAtATime_SameRowsInSameOrderAsOnePage()
    {
        await using var app = await TestApp.StartAsync();
        var duties = new List<RightsDuty>();
        for (var i = 0; i < 4; i++)
        {
            var patient = await app.CreatePatientAsync();
            await app.StartAsync(patient, Provision.Section2);
            duties.Add((await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321));
        }

        // Explanations due (several per patient, all due at the same moment, so ordered by id): ward, hospital only,
        // and everywhere.
        var due = await AssertPagingAsync(app, WorklistKind.ExplanationsDue, "RXM01", "ASH");
        Assert.True(due.Count >= 4);
        Assert.Subset(due.ToHashSet(), duties.Select(d => d.Name).ToHashSet());
        Assert.Equal(due, await AssertPagingAsync(app, WorklistKind.ExplanationsDue, "RXM01", string.Empty));
        Assert.Equal(due, await AssertPagingAsync(app, WorklistKind.ExplanationsDue, string.Empty, string.Empty));

        // Re-attempts: the first two not understood at the same moment (same planned time, ordered by id), the
        // others an hour apart each.
        app.Clock.Advance(TimeSpan.FromHours(3));
        for (var i = 0; i < duties.Count; i++)
        {
            if (i >= 2)
            {
                app.Clock.Advance(TimeSpan.FromHours(1));
            }

            await app.ExplainAsync(duties[i], AttemptOutcome.NotUnderstood);
        }

        await app.AdvanceAndSweepAsync(TimeSpan.FromHours(80));
        var byWard = await AssertPagingAsync(app, WorklistKind.ReattemptsDue, "RXM01", "ASH");
        Assert.Equal(duties.Take(2).Select(d => d.Name).ToHashSet(), byWard.Take(2).ToHashSet());
        Assert.Equal(duties.Skip(2).Select(d => d.Name), byWard.Skip(2));
        Assert.Equal(byWard, await AssertPagingAsync(app, WorklistKind.ReattemptsDue, "RXM01", string.Empty));
        Assert.Equal(byWard, await AssertPagingAsync(app, WorklistKind.ReattemptsDue, string.Empty, string.Empty));
    }

    private static async Task<List<string>> AssertPagingAsync(TestApp app, WorklistKind kind, string hospital, string ward)
    {
        var whole = (await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = kind, Hospital = hospital, Ward = ward, PageSize = 100 }))
            .Items.Select(i => i.Duty.Name).ToList();
        var paged = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = kind, Hospital = hospital, Ward = ward, PageSize = 1, PageToken = token });
            paged.AddRange(page.Items.Select(i => i.Duty.Name));
            token = page.NextPageToken;
        }
        while (token.Length > 0 && paged.Count <= whole.Count);

        Assert.NotEmpty(whole);
        Assert.Equal(whole, paged);
        return whole;
    }
}
