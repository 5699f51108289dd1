using Google.Protobuf.WellKnownTypes;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests.Infrastructure;

/// <summary>Builders for the data most tests need, through the SDK, so each test states only what matters to it.</summary>
public static class TestData
{
    private static int _sequence;

    /// <summary>A new patient with an identified nearest relative.</summary>
    public static async Task<Patient> CreatePatientAsync(this MhaRightsClient client, string? localId = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var created = await client.Patients.CreatePatientAsync(new CreatePatientRequest
        {
            Patient = new Patient { LocalId = localId ?? $"SDK-{n:D6}", GivenName = "Alex", FamilyName = $"Test{n}", Hospital = "RXM01", Ward = "ASH" },
        });
        return await client.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest
        {
            Name = created.Name,
            Etag = created.Etag,
            NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Sam Test", Relationship = "mother", Address = "1 High Street" },
        });
    }

    /// <summary>Detains the patient under <paramref name="provision"/> now (server time), which opens the s132 duties.</summary>
    public static Task<LegalStatusEpisode> StartEpisodeAsync(this MhaRightsClient client, InProcessServer server, Patient patient, Provision provision = Provision.Section2) =>
        client.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest
        {
            Parent = patient.Name,
            Episode = new LegalStatusEpisode { Provision = provision, Hospital = "RXM01", Ward = "ASH", StartTime = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow()) },
        });

    /// <summary>The patient's open s132(1) duty (the initial explanation of the provision held).</summary>
    public static async Task<RightsDuty> Section1321DutyAsync(this MhaRightsClient client, Patient patient)
    {
        await foreach (var duty in client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name, OpenOnly = true }))
        {
            if (duty.Kind == DutyKind.Section1321)
            {
                return duty;
            }
        }

        throw new InvalidOperationException($"{patient.Name} has no open s132(1) duty.");
    }

    /// <summary>A complete, valid explanation attempt at the server's current time.</summary>
    public static ExplanationAttempt Attempt(InProcessServer server, AttemptOutcome outcome = AttemptOutcome.Understood) => new()
    {
        AttemptTime = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow()),
        ExplainedBy = "Jo Nurse",
        ExplainedByRole = "Staff nurse",
        OralGiven = true,
        WrittenGiven = true,
        LeafletId = "DH-S2",
        LeafletVersion = "2024-01",
        LeafletLanguage = "en",
        Outcome = outcome,
    };
}
