using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>Lists follow page tokens: every item once, in the server's order, with page-level access.</summary>
public sealed class PagingTests
{
    [Fact]
    public async Task ListPatients_ThousandPatients_EachReturnedExactlyOnceInOrder()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var expected = Enumerable.Range(1, 1000).Select(i => $"PAGE-{i:D4}").ToList();
        // Created concurrently and out of order, so the order returned is the server's (by local id), not insertion order.
        await Parallel.ForEachAsync(
            expected.OrderBy(id => id.GetHashCode(StringComparison.Ordinal)),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (localId, ct) => await client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = localId } }, ct));

        var listed = await client.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 37 }).ToListAsync();

        Assert.Equal(expected, listed.Select(p => p.LocalId));
        Assert.Equal(1000, listed.Select(p => p.Name).Distinct().Count());
        // 27 full pages of 37 and one of 1: each page fetched once.
        Assert.Equal(28, server.Probe.CallsTo("PatientService/ListPatients").Count);

        var pages = await client.Patients.ListPatientsAsync(new ListPatientsRequest()).AsPages(pageSizeHint: 1000).ToListAsync();
        var page = Assert.Single(pages);
        Assert.Equal(1000, page.Values.Count);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task AsPages_ResumedFromContinuationToken_ContinuesAfterThatPage()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        for (var i = 1; i <= 25; i++)
        {
            await client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = $"RES-{i:D2}" } });
        }

        var pageable = client.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 10 });
        var pages = await pageable.AsPages().ToListAsync();
        var resumed = await pageable.AsPages(pages[0].ContinuationToken).ToListAsync();

        Assert.Equal([10, 10, 5], pages.Select(p => p.Values.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        Assert.IsType<ListPatientsResponse>(pages[0].RawResponse);
        Assert.Equal(
            pages.Skip(1).SelectMany(p => p.Values).Select(p => p.LocalId),
            resumed.SelectMany(p => p.Values).Select(p => p.LocalId));
    }

    [Fact]
    public async Task ListPatients_NotEnumerated_SendsNothing()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var request = new ListPatientsRequest { PageSize = 5 };

        var pageable = client.Patients.ListPatientsAsync(request);
        request.PageSize = 500; // changing the caller's object afterwards does not change the list

        Assert.Empty(server.Probe.CallsTo("PatientService/ListPatients"));
        await pageable.ToListAsync();
        Assert.Equal(5, ((ListPatientsRequest)Assert.Single(server.Probe.CallsTo("PatientService/ListPatients")).Request).PageSize);
    }

    [Fact]
    public async Task ListPatients_PageFailsTransiently_PageRetriedAndNothingSkipped()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        for (var i = 1; i <= 9; i++)
        {
            await client.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = $"RETRY-{i}" } });
        }

        var listed = new List<string>();
        await foreach (var patient in client.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 4 }))
        {
            listed.Add(patient.LocalId);
            if (listed.Count == 4)
            {
                server.Probe.FailBeforeHandling("PatientService/ListPatients");
            }
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"RETRY-{i}"), listed);
    }

    [Fact]
    public async Task FromPages_MockedList_EnumeratesAndResumesLikeTheServer()
    {
        var pageable = AsyncPageable<string>.FromPages(
        [
            Page<string>.FromValues(["a", "b"], "t1"),
            Page<string>.FromValues(["c"], "t2"),
            Page<string>.FromValues(["d"], null),
        ]);

        Assert.Equal(["a", "b", "c", "d"], await pageable.ToListAsync());
        Assert.Equal(["c", "d"], (await pageable.AsPages("t1").ToListAsync()).SelectMany(p => p.Values));
    }
}
