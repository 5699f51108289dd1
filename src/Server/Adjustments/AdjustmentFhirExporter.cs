using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Common;
using LocalPatient = MhaRights.Server.Patients.Patient;

namespace MhaRights.Server.Adjustments;

/// <summary>The Gen 3 Patient Flags profiles and systems the export uses (domain notes §2.1, §2.3, §7.5).</summary>
public static class PatientFlagProfiles
{
    public const string PatientFlag = "https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag";
    public const string Adjustment = "https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag-Adjustment";
    public const string Condition = "https://fhir.nhs.uk/England/StructureDefinition/England-Condition-Flag";
    public const string Provenance = "https://fhir.nhs.uk/England/StructureDefinition/England-Provenance-Flag";

    // §7.5 step 3: the SD url; the examples use .../Extension-FlagNotes, to be confirmed against the live server.
    public const string FlagNotesExtension = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagNotes";
    public const string NhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
    public const string SnomedSystem = "http://snomed.info/sct";
    public const string ConditionClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string DataOperationSystem = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    public const string SdsPractitionerBase = "https://sds.spineservices.nhs.uk/Practitioner/";
    public const string OdsOrganizationBase = "https://directory.spineservices.nhs.uk/Organization/";

    /// <summary>Patient flag category of the RA flag (NRAF / national-reasonable-adjustment-flag).</summary>
    public const string ReasonableAdjustmentFlagCategory = "NRAF";

    public const string MediaType = "application/fhir+json; fhirVersion=4.0";
}

/// <summary>The bundle and what went into it.</summary>
public sealed record AdjustmentFhirExport(byte[] Bundle, IReadOnlyList<AdjustmentItem> Items);

/// <summary>
/// Builds a patient's ACTIVE record as the Patient Flags transaction Bundle of domain notes §7.5 step 3 with the HL7
/// FHIR R4 library: the England-Flag-PatientFlag, one England-Flag-PatientFlag-Adjustment per active adjustment and
/// one England-Condition-Flag per active impairment or underlying condition, each with a contained
/// England-Provenance-Flag. Gen 3 (kebab-case) code systems are used, as the current API does (§2.3).
/// </summary>
public sealed class AdjustmentFhirExporter(AdjustmentCodeTables tables)
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    /// <summary>
    /// Export preconditions after the state check (§7.5 step 1), as data: each rule names what refused the export.
    /// The verified-NHS-number and CIS2-session preconditions are approximated by "has an NHS number" and "every
    /// resource has the NHS identity its Provenance needs".
    /// </summary>
    private static readonly (string Rule, Func<AdjustmentRecord, LocalPatient, IReadOnlyList<AdjustmentItem>, bool> Refuses, string Message)[] Preconditions =
    [
        ("SHARING_DECLINED", (r, _, _) => r.SharingDecision.Decision == SharingDecision.Declined,
            "The patient or their representative declined national sharing (§3.1); the record is withheld and cannot be exported."),
        ("NHS_NUMBER_MISSING", (_, p, _) => string.IsNullOrEmpty(p.NhsNumber),
            "The patient has no NHS number; the national flag is keyed on it."),
        ("PROVENANCE_MISSING", (r, _, items) => !r.ThresholdConfirmedByNhsUser.IsSet || items.Any(i => !i.RecordedByNhsUser.IsSet),
            "The threshold confirmation or an item was recorded without the NHS identity (nhs_user) its national Provenance needs."),
    ];

    public static JsonSerializerOptions SerializerOptions => Json;

    public AdjustmentFhirExport Export(AdjustmentRecord record, LocalPatient patient, IReadOnlyList<AdjustmentItem> activeItems, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(activeItems);
        foreach (var (rule, refuses, message) in Preconditions)
        {
            if (refuses(record, patient, activeItems))
            {
                throw new PreconditionFailedException(rule, message);
            }
        }

        var ordered = activeItems.OrderBy(i => KindOrder(i.Kind)).ThenBy(i => i.CreateTime).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction, Timestamp = new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)) };
        var subject = new ResourceReference { Identifier = new Identifier(PatientFlagProfiles.NhsNumberSystem, patient.NhsNumber) };
        var flagCategory = PatientFlagCategory();

        var flag = new Flag
        {
            Meta = new Meta { Profile = [PatientFlagProfiles.PatientFlag] },
            Status = Flag.FlagStatus.Active,
            Category = [flagCategory],
            Code = flagCategory,
            Subject = subject,
        };
        flag.Contained.Add(Provenance(record.ThresholdConfirmed.Time!.Value, record.ThresholdConfirmedByNhsUser));
        Add(bundle, flag, "Flag");

        foreach (var item in ordered)
        {
            DomainResource resource = item.Kind == AdjustmentItemKind.Adjustment ? AdjustmentFlag(item, subject) : ConditionFor(item, subject);
            resource.Contained.Add(Provenance(item.CreateTime, item.RecordedByNhsUser));
            Add(bundle, resource, item.Kind == AdjustmentItemKind.Adjustment ? "Flag" : "Condition");
        }

        return new AdjustmentFhirExport(JsonSerializer.SerializeToUtf8Bytes(bundle, Json), ordered);
    }

    // CodeableConcept's own 3-argument constructor sets text, not the coding's display.
    private static CodeableConcept Concept(string system, string? code, string? display = null) =>
        new() { Coding = [new Coding(system, code, display)] };

    private static int KindOrder(AdjustmentItemKind kind) => kind switch
    {
        AdjustmentItemKind.Adjustment => 0,
        AdjustmentItemKind.Impairment => 1,
        _ => 2,
    };

    private static void Add(Bundle bundle, Resource resource, string type) =>
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + Guid.NewGuid().ToString("D"),
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = type },
        });

    private Flag AdjustmentFlag(AdjustmentItem item, ResourceReference subject)
    {
        var category = tables.FindCategory(item.CategoryCode) ?? throw new InvalidOperationException($"Unknown category {item.CategoryCode} on item {item.Id}.");
        var flag = new Flag
        {
            Meta = new Meta { Profile = [PatientFlagProfiles.Adjustment] },
            Status = Flag.FlagStatus.Active,
            // Slices patientFlag + programmeFlag (England-FlagCategoryRA), §2.1.
            Category = [PatientFlagCategory(), Concept(category.KebabSystem, category.KebabCode, category.Display)],
            Code = Concept(PatientFlagProfiles.SnomedSystem, item.SnomedCode, item.Display),
            Subject = subject,
        };
        var notes = string.Join(" ", new[] { item.BespokeText, item.FreeText }.Where(t => !string.IsNullOrEmpty(t)));
        if (notes.Length > 0)
        {
            flag.Extension.Add(new Extension(PatientFlagProfiles.FlagNotesExtension, new Annotation { Text = notes }));
        }

        return flag;
    }

    private Condition ConditionFor(AdjustmentItem item, ResourceReference subject)
    {
        var conditionCategory = tables.FindConditionCategory(item.ConditionCategoryCode) ?? tables.DefaultConditionCategory;
        CodeableConcept code;
        if (item.Kind == AdjustmentItemKind.Impairment)
        {
            var impairment = tables.FindImpairment(item.ImpairmentCode) ?? throw new InvalidOperationException($"Unknown impairment {item.ImpairmentCode} on item {item.Id}.");
            code = Concept(impairment.KebabSystem, impairment.KebabCode, impairment.Display);
            if (item.OtherText is not null)
            {
                code.Text = item.OtherText;
            }
        }
        else
        {
            code = Concept(PatientFlagProfiles.SnomedSystem, item.SnomedCode, item.Display);
        }

        var condition = new Condition
        {
            Meta = new Meta { Profile = [PatientFlagProfiles.Condition] },
            ClinicalStatus = Concept(PatientFlagProfiles.ConditionClinicalSystem, "active"),
            Category = [PatientFlagCategory(), Concept(conditionCategory.System, conditionCategory.Code, conditionCategory.Display)],
            Code = code,
            Subject = subject,
        };
        if (item.FreeText is not null)
        {
            condition.Note.Add(new Annotation { Text = item.FreeText });
        }

        return condition;
    }

    private CodeableConcept PatientFlagCategory()
    {
        var nraf = tables.PatientFlagCategories.First(c => c.Code == PatientFlagProfiles.ReasonableAdjustmentFlagCategory);
        return Concept(nraf.AlternateSystem, nraf.AlternateCode, nraf.Display);
    }

    /// <summary>Contained England-Provenance-Flag: target "#" (its container), CREATE by the SDS user for the ODS org (§7.5).</summary>
    private Provenance Provenance(DateTime recorded, AdjustmentNhsUser user)
    {
        var role = tables.SdsJobRoles.FirstOrDefault(r => r.Code == user.SdsJobRoleCode);
        var roleSystem = role?.System ?? tables.SdsJobRoles[0].System;
        return new Provenance
        {
            Id = "provenance",
            Meta = new Meta { Profile = [PatientFlagProfiles.Provenance] },
            Target = [new ResourceReference("#")],
            Recorded = new DateTimeOffset(DateTime.SpecifyKind(recorded, DateTimeKind.Utc)),
            Activity = Concept(PatientFlagProfiles.DataOperationSystem, "CREATE"),
            Agent =
            [
                new Provenance.AgentComponent
                {
                    Role = [Concept(roleSystem, user.SdsJobRoleCode, role?.Display)],
                    Who = new ResourceReference(PatientFlagProfiles.SdsPractitionerBase + user.SdsUserId),
                    OnBehalfOf = new ResourceReference(PatientFlagProfiles.OdsOrganizationBase + user.OdsOrganizationCode),
                },
            ],
        };
    }
}
