using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;

namespace MhaRights.Server.Tests.Infrastructure;

/// <summary>Builders for the requests most tests need, so each test states only what matters to it.</summary>
public static class Scenario
{
    private static int _sequence;

    /// <summary>A valid NHS number (Modulus 11) for the test data set.</summary>
    public const string ValidNhsNumber = "9434765919";

    public static Timestamp At(DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);

    public static async Task<Patient> CreatePatientAsync(this TestApp app, Action<Patient>? configure = null, NearestRelative.Types.Status nearestRelative = NearestRelative.Types.Status.Identified)
    {
        var n = Interlocked.Increment(ref _sequence);
        var patient = new Patient { LocalId = $"RIO-{n:D6}", GivenName = "Alex", FamilyName = $"Test{n}", Hospital = "RXM01", Ward = "ASH" };
        configure?.Invoke(patient);
        var created = await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = patient });
        var nr = nearestRelative == NearestRelative.Types.Status.Identified
            ? new NearestRelative { Status = nearestRelative, FullName = "Sam Test", Relationship = "mother", Address = "1 High Street" }
            : new NearestRelative { Status = nearestRelative };
        return await app.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = created.Name, NearestRelative = nr });
    }

    public static Task<LegalStatusEpisode> StartAsync(this TestApp app, Patient patient, Provision provision, DateTimeOffset? at = null, Provision suspended = Provision.Unspecified, string hospital = "RXM01") =>
        app.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest
        {
            Parent = patient.Name,
            Episode = new LegalStatusEpisode
            {
                Provision = provision,
                SuspendedProvision = suspended,
                Hospital = hospital,
                Ward = "ASH",
                StartTime = At(at ?? app.Clock.GetUtcNow()),
            },
        }).ResponseAsync;

    public static async Task<IReadOnlyList<RightsDuty>> DutiesAsync(this TestApp app, Patient patient, bool openOnly = false) =>
        (await app.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name, OpenOnly = openOnly, PageSize = 1000 })).Duties;

    public static ExplanationAttempt Attempt(TestApp app, AttemptOutcome outcome, DateTimeOffset? at = null) => new()
    {
        AttemptTime = At(at ?? app.Clock.GetUtcNow()),
        ExplainedBy = "Jo Nurse",
        ExplainedByRole = "Staff nurse",
        OralGiven = true,
        WrittenGiven = true,
        LeafletId = "DH-S2",
        LeafletVersion = "2024-01",
        LeafletLanguage = "en",
        Outcome = outcome,
    };

    public static Task<RecordExplanationAttemptResponse> ExplainAsync(this TestApp app, RightsDuty duty, AttemptOutcome outcome, Action<ExplanationAttempt>? configure = null, string? requestId = null)
    {
        var attempt = Attempt(app, outcome);
        configure?.Invoke(attempt);
        return app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = duty.Name, Attempt = attempt, RequestId = requestId ?? string.Empty }).ResponseAsync;
    }

    /// <summary>The google.rpc.Status details of a failed call.</summary>
    public static Google.Rpc.Status Details(this RpcException exception) =>
        exception.GetRpcStatus() ?? throw new InvalidOperationException("The error carried no google.rpc.Status details.");

    public static Google.Rpc.ErrorInfo ErrorInfo(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>() ?? throw new InvalidOperationException("No ErrorInfo detail.");

    public static Google.Rpc.BadRequest BadRequest(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>() ?? throw new InvalidOperationException("No BadRequest detail.");
}
