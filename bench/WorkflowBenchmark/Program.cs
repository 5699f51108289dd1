using System.Diagnostics;
using System.Globalization;
using MhaRights.Server.Audit;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;

// What one request pays for a workflow: build the machine for one entity (For) and fire one trigger. The source is
// written against the public shape shared by the old engine and the Stateless one (XWorkflow.For(context).FireAsync),
// so the same file measures both (see bench/WORKFLOW-RESULTS.md for how the old engine was measured).
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var audit = new AuditLog(new SystemCaller(), TimeProvider.System);

await MeasureAsync("baseline: entity + context only", iterations, () =>
{
    _ = DutyContext();
    return Task.CompletedTask;
});
await MeasureAsync("duty: For() only", iterations, () =>
{
    _ = DutyWorkflow.For(DutyContext());
    return Task.CompletedTask;
});
await MeasureAsync("duty: For() + FireAsync(AttemptUnderstood)", iterations, () => DutyWorkflow.For(DutyContext()).FireAsync(DutyEvent.AttemptUnderstood));
await MeasureAsync("episode: For() + FireAsync(Renew) (internal)", iterations / 4, () => EpisodeWorkflow.For(EpisodeContext()).FireAsync(EpisodeEvent.Renew));

TransitionContext<RightsDuty> DutyContext()
{
    audit.Discard();
    var duty = new RightsDuty { Id = "d1", PatientId = "p1", EpisodeId = "e1", Hospital = "H", State = DutyState.Due };
    return new TransitionContext<RightsDuty>(duty, audit, "patients/p1/duties/d1", "p1");
}

TransitionContext<LegalStatusEpisode> EpisodeContext()
{
    audit.Discard();
    var episode = new LegalStatusEpisode
    {
        Id = "e1", PatientId = "p1", Hospital = "H", State = EpisodeState.Active, Provision = Provision.Section3, ExpiryTime = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };
    return new TransitionContext<LegalStatusEpisode>(episode, audit, "patients/p1/episodes/e1", "p1");
}

static async Task MeasureAsync(string name, int iterations, Func<Task> body)
{
    for (var i = 0; i < Math.Min(iterations, 20_000); i++)
    {
        await body();
    }

    GC.Collect();
    GC.WaitForPendingFinalizers();
    var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        await body();
    }

    watch.Stop();
    var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-48} {watch.Elapsed.TotalNanoseconds / iterations,10:F0} ns/op {(double)bytes / iterations,10:F0} B/op ({iterations} ops)"));
}

internal sealed class SystemCaller : ICallerContext
{
    public CallerIdentity Caller => CallerIdentity.System;
}
