using System.Text.Json;
using Grpc.Core;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Adjustments.AdjustmentTestKit;
using Task = System.Threading.Tasks.Task;

#pragma warning disable CS8600, CS8602 // FHIR POCO elements are nullable; a null here fails the test anyway.

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>The Patient Flags transaction Bundle of domain notes §7.5, parsed back with the HL7 FHIR R4 library.</summary>
public sealed class AdjustmentFhirExportTests
{
    private const string PatientFlagProfile = "https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag";
    private const string AdjustmentProfile = "https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag-Adjustment";
    private const string ConditionProfile = "https://fhir.nhs.uk/England/StructureDefinition/England-Condition-Flag";
    private const string ProvenanceProfile = "https://fhir.nhs.uk/England/StructureDefinition/England-Provenance-Flag";
    private const string FlagCategorySystem = "https://fhir.nhs.uk/England/CodeSystem/England-FlagCategoryPatient";
    private const string RaCategorySystem = "https://fhir.nhs.uk/England/CodeSystem/England-FlagCategoryRA";
    private const string ConditionCodeSystem = "https://fhir.nhs.uk/England/CodeSystem/England-ConditionCodeRA";
    private const string ConditionCategorySystem = "https://fhir.nhs.uk/England/CodeSystem/England-ConditionCategoryRA";
    private const string Snomed = "http://snomed.info/sct";

    [Fact]
    public async Task Export_ThreeAdjustmentsTwoImpairmentsOneCondition_RoundTripsWithProfilesCodesAndProvenance()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (patient, record) = await app.ActiveRecordAsync(new AdjustmentSharingDecision { Decision = AdjustmentSharingDecision.Types.Decision.Consented, ConsentProxyRoleCode = "001" });
        foreach (var item in new[]
        {
            Adjustment("002", BslInterpreter), Adjustment("008", ExtendedAppointment, freeText: "Allow 60 minutes."),
            Adjustment("011", "1108111000000107", bespoke: "Meet in the garden room."), Impairment("2"), Impairment("10", otherText: "Chronic fatigue"),
            Condition(Autism, "Autism spectrum disorder"),
        })
        {
            await client.AddAsync(record, item);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var removed = await client.AddAsync(record, Adjustment("009", LowNoise));
        await client.RemoveAdjustmentItemAsync(new RemoveAdjustmentItemRequest { Name = removed.Name, RemovalReasonCode = "DoesntApply", RemovalComment = "Single room now." });

        var response = await client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name });

        Assert.Equal("application/fhir+json; fhirVersion=4.0", response.ContentType);
        Assert.Equal(6, response.ExportedItems.Count);
        Assert.DoesNotContain(removed.Name, response.ExportedItems);
        var bundle = JsonSerializer.Deserialize<Bundle>(response.Bundle.ToByteArray(), new JsonSerializerOptions().ForFhir())!;
        Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
        Assert.Equal(7, bundle.Entry.Count);
        Assert.All(bundle.Entry, e => Assert.Equal(Bundle.HTTPVerb.POST, e.Request.Method));
        Assert.All(bundle.Entry, e => Assert.StartsWith("urn:uuid:", e.FullUrl, StringComparison.Ordinal));

        var flags = bundle.Entry.Select(e => e.Resource).OfType<Flag>().ToList();
        var conditions = bundle.Entry.Select(e => e.Resource).OfType<Condition>().ToList();
        var patientFlag = Assert.Single(flags, f => f.Meta.Profile.Contains(PatientFlagProfile));
        Assert.Equal(Flag.FlagStatus.Active, patientFlag.Status);
        Assert.Equal((FlagCategorySystem, "national-reasonable-adjustment-flag"), (patientFlag.Code.Coding[0].System, patientFlag.Code.Coding[0].Code));
        Assert.Equal(("https://fhir.nhs.uk/Id/nhs-number", patient.NhsNumber), (patientFlag.Subject.Identifier.System, patientFlag.Subject.Identifier.Value));

        var adjustments = flags.Where(f => f.Meta.Profile.Contains(AdjustmentProfile)).ToList();
        Assert.Equal(3, adjustments.Count);
        Assert.All(adjustments, f =>
        {
            Assert.Equal((FlagCategorySystem, "national-reasonable-adjustment-flag"), (f.Category[0].Coding[0].System, f.Category[0].Coding[0].Code));
            Assert.Equal(RaCategorySystem, f.Category[1].Coding[0].System);
            Assert.Equal(Snomed, f.Code.Coding[0].System);
        });
        Assert.Equal(
            [("requires-communication-professional", BslInterpreter), ("adjustments-for-individual-care-requirements", ExtendedAppointment), ("bespoke-reasonable-adjustments", "1108111000000107")],
            adjustments.Select(f => (f.Category[1].Coding[0].Code, f.Code.Coding[0].Code)));
        Assert.Equal("British Sign Language interpreter needed", adjustments[0].Code.Coding[0].Display);
        var notes = adjustments[2].GetExtension("https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagNotes");
        Assert.Equal("Meet in the garden room.", ((Annotation)notes!.Value).Text);

        Assert.Equal(3, conditions.Count);
        Assert.All(conditions, c =>
        {
            Assert.Contains(ConditionProfile, c.Meta.Profile);
            Assert.Equal("active", c.ClinicalStatus.Coding[0].Code);
            Assert.Equal(FlagCategorySystem, c.Category[0].Coding[0].System);
            Assert.Equal((ConditionCategorySystem, "issue"), (c.Category[1].Coding[0].System, c.Category[1].Coding[0].Code));
        });
        Assert.Equal([(ConditionCodeSystem, "hearing"), (ConditionCodeSystem, "other"), (Snomed, Autism)], conditions.Select(c => (c.Code.Coding[0].System, c.Code.Coding[0].Code)));
        Assert.Equal("Chronic fatigue", conditions[1].Code.Text);

        foreach (var resource in bundle.Entry.Select(e => (DomainResource)e.Resource))
        {
            var provenance = Assert.IsType<Provenance>(Assert.Single(resource.Contained!));
            Assert.Contains(ProvenanceProfile, provenance.Meta.Profile);
            Assert.Equal("#", Assert.Single(provenance.Target).Reference);
            Assert.Equal("CREATE", provenance.Activity.Coding[0].Code);
            Assert.NotNull(provenance.Recorded);
            var agent = Assert.Single(provenance.Agent);
            Assert.Equal("https://sds.spineservices.nhs.uk/Practitioner/555555555555", agent.Who.Reference);
            Assert.Equal("https://directory.spineservices.nhs.uk/Organization/RXM", agent.OnBehalfOf.Reference);
            Assert.Equal(("R1981", "Psychiatrist"), (agent.Role[0].Coding[0].Code, agent.Role[0].Coding[0].Display));
        }

        Assert.Contains(await app.AuditOfAsync(record.Name), e => e.Action == "ViewExportAdjustmentFhirBundle" && e.Actor.Role == "clinician");
    }

    [Fact]
    public async Task Export_ItemWithoutNhsIdentityOrPatientWithoutNhsNumber_RefusedNamingRule()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.Adjustments();
        var (_, record) = await app.ActiveRecordAsync();
        await client.CreateAdjustmentItemAsync(new CreateAdjustmentItemRequest { Parent = record.Name, AdjustmentItem = Impairment("1") });

        var provenance = await Assert.ThrowsAsync<RpcException>(() => client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = record.Name }).ResponseAsync);
        Assert.Equal("PROVENANCE_MISSING", provenance.ErrorInfo().Metadata["rule"]);

        var patient = await app.CreatePatientAsync();
        var noNumber = await client.ActivateAsync(await client.IdentifyAsync(patient));
        var nhs = await Assert.ThrowsAsync<RpcException>(() => client.ExportAdjustmentFhirBundleAsync(new ExportAdjustmentFhirBundleRequest { Name = noNumber.Name }).ResponseAsync);
        Assert.Equal("NHS_NUMBER_MISSING", nhs.ErrorInfo().Metadata["rule"]);
    }
}
