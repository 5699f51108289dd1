using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Contracts.V1.DutyKind;

namespace MhaRights.Server.Tests.Rights;

/// <summary>
/// One case per row of the applicability matrix (section-132.md §1.5): starting each legal status opens exactly
/// the duties the law requires and no others.
/// </summary>
public sealed class ApplicabilityMatrixTests
{
    private static readonly DutyKind[] Civil = [Section1321, Section1322, Section130D, NearestRelativeCopy132, NearestRelativeCopy130D];
    private static readonly DutyKind[] HoldingPower = [Section1321, Section1322, NearestRelativeCopy132];
    private static readonly DutyKind[] Part3 = [Section1321, Section1322, Section130D, NearestRelativeCopy132];

    public static TheoryData<string, Provision, DutyKind[]> Rows => new()
    {
        { "s2", Provision.Section2, Civil },
        { "s3", Provision.Section3, Civil },
        { "s4 (IMHA excluded)", Provision.Section4, HoldingPower },
        { "s5(2)", Provision.Section52, HoldingPower },
        { "s5(4)", Provision.Section54, HoldingPower },
        { "s135 in a hospital place of safety", Provision.Section135, HoldingPower },
        { "s136 in a hospital place of safety", Provision.Section136, HoldingPower },
        { "s35 (Part 3: no IMHA copy)", Provision.Section35, Part3 },
        { "s36", Provision.Section36, Part3 },
        { "s38", Provision.Section38, Part3 },
        { "s37", Provision.Section37, Part3 },
        { "s37/41", Provision.Section3741, Part3 },
        { "s45A", Provision.Section45A, Part3 },
        { "s47/49", Provision.Section4749, Part3 },
        { "s48/49", Provision.Section4849, Part3 },
        { "s47 unrestricted", Provision.Section47, Part3 },
        { "s48 unrestricted", Provision.Section48, Part3 },
        { "CTO s17A", Provision.CommunityTreatmentOrder, [Section132A, Section130D, NearestRelativeCopy132, NearestRelativeCopy130D] },
        { "Guardianship s7 (no s132)", Provision.Guardianship7, [Section130D, NearestRelativeCopy130D] },
        { "Guardianship s37", Provision.Guardianship37, [Section130D, NearestRelativeCopy130D] },
        { "Conditionally discharged restricted", Provision.ConditionalDischarge, [Section130D] },
        { "Informal", Provision.Informal, [] },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task StartEpisode_MatrixRow_OpensExactlyTheApplicableDuties(string row, Provision provision, DutyKind[] expected)
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var suspended = provision == Provision.CommunityTreatmentOrder ? Provision.Section3 : Provision.Unspecified;

        var episode = await app.StartAsync(patient, provision, suspended: suspended);

        var duties = await app.DutiesAsync(patient);
        Assert.True(expected.Order().SequenceEqual(duties.Select(d => d.Kind).Order()),
            $"{row}: expected [{string.Join(", ", expected.Order())}] but opened [{string.Join(", ", duties.Select(d => d.Kind).Order())}]");
        Assert.All(duties, d =>
        {
            Assert.Equal(RightsDuty.Types.State.Due, d.State);
            Assert.Equal(episode.Name, d.Episode);
        });
    }

    [Fact]
    public async Task RecallCommunityPatient_CtoRecallRow_OpensSection132AtRecallAndKeepsCtoDuties()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var cto = await app.StartAsync(patient, Provision.CommunityTreatmentOrder, suspended: Provision.Section3);
        var ctoDuties = (await app.DutiesAsync(patient)).Select(d => d.Name).ToHashSet();
        app.Clock.Advance(TimeSpan.FromDays(30));

        var recall = await app.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest
        {
            Name = cto.Name, Hospital = "RXM01", Ward = "ASH", RecallTime = Scenario.At(app.Clock.GetUtcNow()),
        });

        var opened = (await app.DutiesAsync(patient)).Where(d => !ctoDuties.Contains(d.Name)).ToList();
        Assert.Equal(new[] { Section1321, Section1322, NearestRelativeCopy132 }, opened.Select(d => d.Kind).Order());
        Assert.All(opened, d =>
        {
            Assert.Equal(DutyTrigger.CtoRecall, d.Trigger);
            Assert.Equal(recall.CurrentEpisode.Name, d.Episode);
            Assert.Equal(app.Clock.GetUtcNow(), d.OpenTime.ToDateTimeOffset());
        });
        Assert.Equal(LegalStatusEpisode.Types.State.Recalled, recall.PreviousEpisode.State);
        Assert.All((await app.DutiesAsync(patient)).Where(d => ctoDuties.Contains(d.Name)), d => Assert.Equal(RightsDuty.Types.State.Due, d.State));
    }

    [Fact]
    public async Task StartEpisode_NoNearestRelative_CopiesOpenAsNotRequiredWithReason()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync(nearestRelative: NearestRelative.Types.Status.NoneIdentified);
        await app.StartAsync(patient, Provision.Section2);

        var copies = (await app.DutiesAsync(patient)).Where(d => d.Kind is NearestRelativeCopy132 or NearestRelativeCopy130D).ToList();
        Assert.Equal(2, copies.Count);
        Assert.All(copies, d =>
        {
            Assert.Equal(RightsDuty.Types.State.NotRequired, d.State);
            Assert.StartsWith("No nearest relative identified.", d.ResolutionNote, StringComparison.Ordinal);
        });

        // Identifying a nearest relative later makes the copies due again.
        await app.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest
        {
            Name = patient.Name,
            NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Pat Relative" },
        });
        copies = (await app.DutiesAsync(patient)).Where(d => d.Kind is NearestRelativeCopy132 or NearestRelativeCopy130D).ToList();
        Assert.All(copies, d => Assert.Equal(RightsDuty.Types.State.Due, d.State));
    }
}
