using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>
/// The overloads taking the domain's own arguments (DateTimeOffset, DateOnly, resource names) build the same requests
/// as the message-taking methods, against the real server, and keep the SDK's guarantees (request ids on writes).
/// </summary>
public sealed class ConvenienceOverloadTests
{
    [Fact]
    public async Task PatientToExplanation_DomainArguments_RecordsUnderstoodDutyWithRequestIds()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.MhaOffice);
        var now = server.Clock.GetUtcNow();

        var patient = await client.Patients.CreatePatientAsync("CONV-1", nhsNumber: "943 476 5919", givenName: "Alex", familyName: "Test", dateOfBirth: new DateOnly(1990, 2, 28));
        var episode = await client.LegalStatus.StartEpisodeAsync(patient.Name, Provision.Section2, now.AddHours(-1), "RXM01", ward: "ASH");
        var duty = await client.Rights.ListDutiesAsync(patient.Name, openOnly: true).FirstAsync(d => d.Kind == DutyKind.Section1321);
        var recorded = await client.Rights.RecordExplanationAttemptAsync(
            duty.Name, now, "Jo Nurse", "Staff nurse", AttemptOutcome.Understood,
            new ExplanationDetails { OralGiven = true, WrittenGiven = true, LeafletId = "DH-S2", LeafletLanguage = "en", Etag = duty.Etag });
        var status = await client.Rights.GetRightsStatusAsync(patient.Name);

        Assert.Equal("9434765919", patient.NhsNumber);
        Assert.Equal(new DateOnly(1990, 2, 28), patient.DateOfBirth.ToDateOnly());
        Assert.Equal(now.AddHours(-1), episode.StartTime.ToDateTimeOffset());
        Assert.Equal("ASH", episode.Ward);
        Assert.Equal(RightsDuty.Types.State.Understood, recorded.Duty.State);
        Assert.Equal(now, recorded.Attempt.AttemptTime.ToDateTimeOffsetOrNull());
        Assert.True(recorded.Attempt.OralGiven && recorded.Attempt.WrittenGiven);
        Assert.Equal("DH-S2", recorded.Attempt.LeafletId);
        Assert.All(status.OpenDuties.Where(d => d.Name == duty.Name), d => Assert.Equal(RightsDuty.Types.State.Understood, d.State));
        Assert.Equal(patient.Name, (await client.Patients.FindPatientByLocalIdAsync("CONV-1"))?.Name);
        Assert.Null(await client.Patients.FindPatientByLocalIdAsync("CONV-NONE"));
        foreach (var write in new[] { "PatientService/CreatePatient", "LegalStatusService/StartEpisode", "RightsService/RecordExplanationAttempt" })
        {
            Assert.False(string.IsNullOrEmpty(Assert.Single(server.Probe.CallsTo(write)).RequestId));
        }
    }

    [Fact]
    public async Task RecordExplanationAttempt_NotUnderstoodWithNextAttemptTime_SchedulesThatTime()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.MhaOffice);
        var patient = await client.CreatePatientAsync();
        await client.StartEpisodeAsync(server, patient);
        var duty = await client.Section1321DutyAsync(patient);
        var next = server.Clock.GetUtcNow().AddDays(1);

        var recorded = await client.Rights.RecordExplanationAttemptAsync(
            duty.Name, server.Clock.GetUtcNow(), "Jo Nurse", "Staff nurse", AttemptOutcome.NotUnderstood,
            new ExplanationDetails { OralGiven = true, NextAttemptTime = next, CapacityNote = "Drowsy after medication" });

        Assert.Equal(next, recorded.Attempt.NextAttemptTime.ToDateTimeOffset());
        Assert.Equal("Drowsy after medication", recorded.Attempt.CapacityNote);
        Assert.NotEqual(RightsDuty.Types.State.Understood, recorded.Duty.State);
    }

    [Fact]
    public async Task ChangeProvision_DomainArgumentsWithStaleEtag_FailsThenSucceedsWithCurrentEtag()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.MhaOffice);
        var patient = await client.CreatePatientAsync();
        var start = server.Clock.GetUtcNow().AddDays(-2);
        var s2 = await client.LegalStatus.StartEpisodeAsync(patient.Name, Provision.Section2, start, "RXM01");

        var stale = await Assert.ThrowsAsync<MhaRightsException>(() =>
            client.LegalStatus.ChangeProvisionAsync(s2.Name, Provision.Section3, server.Clock.GetUtcNow(), etag: "\"999\""));
        var changed = await client.LegalStatus.ChangeProvisionAsync(s2.Name, Provision.Section3, server.Clock.GetUtcNow(), etag: s2.Etag, ward: "OAK");

        Assert.Equal(MhaRightsErrorReasons.EtagMismatch, stale.Reason);
        Assert.Equal(Provision.Section3, changed.CurrentEpisode.Provision);
        Assert.Equal("OAK", changed.CurrentEpisode.Ward);
        Assert.Equal("RXM01", changed.CurrentEpisode.Hospital);
        Assert.Equal(s2.Name, changed.PreviousEpisode.Name);
        Assert.NotNull(changed.CurrentEpisode.Calendar.LastDay.ToDateOnly());
    }

    [Fact]
    public void ProtoConversions_DatesAndUnsetValues_RoundTrip()
    {
        var date = new DateOnly(2026, 3, 29);

        Assert.Equal(date, date.ToDate().ToDateOnly());
        Assert.Null(((Google.Type.Date?)null).ToDateOnly());
        Assert.Null(((Google.Protobuf.WellKnownTypes.Timestamp?)null).ToDateTimeOffsetOrNull());
        Assert.Throws<ArgumentException>(() => new Google.Type.Date { Year = 2026, Month = 3 }.ToDateOnly());
    }
}
