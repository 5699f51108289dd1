using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>Builders for the reasonable-adjustment tests: a clinician's client, NHS identities and common records.</summary>
public static class AdjustmentTestKit
{
    /// <summary>SNOMED CT 204331000000107 "British Sign Language interpreter needed" (category 002, §2.4).</summary>
    public const string BslInterpreter = "204331000000107";

    /// <summary>SNOMED CT 796161000000101 "Requires information in Easyread" (category 004).</summary>
    public const string EasyRead = "796161000000101";

    /// <summary>SNOMED CT 1108171000000102 "Requires extended appointment" (category 008).</summary>
    public const string ExtendedAppointment = "1108171000000102";

    /// <summary>SNOMED CT 1325391000000106 "Requires low noise environment" (category 009).</summary>
    public const string LowNoise = "1325391000000106";

    /// <summary>SNOMED CT 35919005 "Pervasive developmental disorder" — an underlying condition with a valid check digit.</summary>
    public const string Autism = "35919005";

    public static AdjustmentService.AdjustmentServiceClient Adjustments(this TestApp app, string role = Roles.Clinician) =>
        new(app.ChannelFor(role));

    public static AdjustmentNhsUser NhsUser(string jobRole = "R1981") => new()
    {
        SdsUserId = "555555555555",
        SdsRoleProfileId = "999999999999",
        SdsJobRoleCode = jobRole,
        OdsOrganizationCode = "RXM",
    };

    public static AdjustmentItem Adjustment(string category, string snomed, string bespoke = "", string freeText = "") => new()
    {
        Adjustment = new AdjustmentDetail { CategoryCode = category, SnomedCode = snomed, BespokeText = bespoke },
        FreeText = freeText,
    };

    public static AdjustmentItem Impairment(string code, string otherText = "") => new()
    {
        Impairment = new ImpairmentDetail { ImpairmentCode = code, OtherText = otherText },
    };

    public static AdjustmentItem Condition(string snomed, string display) => new()
    {
        UnderlyingCondition = new UnderlyingConditionDetail { SnomedCode = snomed, SnomedDisplay = display },
    };

    private static int _nhsSequence;

    /// <summary>A fresh NHS number with a valid Modulus 11 check digit (NHS numbers are unique per patient).</summary>
    public static string NextNhsNumber()
    {
        while (true)
        {
            var stem = (943000000 + Interlocked.Increment(ref _nhsSequence)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sum = stem.Select((c, i) => (c - '0') * (10 - i)).Sum();
            var check = 11 - (sum % 11);
            if (check == 11)
            {
                check = 0;
            }

            if (check != 10)
            {
                return stem + check.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    public static Task<Patient> CreateNhsPatientAsync(this TestApp app, string hospital = "RXM01", string ward = "ASH") =>
        app.CreatePatientAsync(p =>
        {
            p.NhsNumber = NextNhsNumber();
            p.Hospital = hospital;
            p.Ward = ward;
        });

    public static Task<AdjustmentRecord> IdentifyAsync(this AdjustmentService.AdjustmentServiceClient client, Patient patient) =>
        client.IdentifyAdjustmentNeedsAsync(new IdentifyAdjustmentNeedsRequest
        {
            Parent = patient.Name,
            IdentificationSource = AdjustmentRecord.Types.IdentificationSource.AisAssessment,
            NhsUser = NhsUser(),
        }).ResponseAsync;

    public static Task<AdjustmentRecord> ActivateAsync(this AdjustmentService.AdjustmentServiceClient client, AdjustmentRecord record, AdjustmentSharingDecision? decision = null) =>
        client.ActivateAdjustmentRecordAsync(new ActivateAdjustmentRecordRequest
        {
            Name = record.Name,
            ThresholdConfirmed = true,
            SharingDecision = decision,
            NhsUser = NhsUser(),
        }).ResponseAsync;

    /// <summary>A patient with an ACTIVE record (sharing decision NOT_REQUIRED unless given).</summary>
    public static async Task<(Patient Patient, AdjustmentRecord Record)> ActiveRecordAsync(this TestApp app, AdjustmentSharingDecision? decision = null, string hospital = "RXM01", string ward = "ASH")
    {
        var patient = await app.CreateNhsPatientAsync(hospital, ward);
        var client = app.Adjustments();
        var record = await client.IdentifyAsync(patient);
        record = await client.ActivateAsync(record, decision ?? new AdjustmentSharingDecision { Decision = AdjustmentSharingDecision.Types.Decision.NotRequired });
        return (patient, record);
    }

    public static Task<AdjustmentItem> AddAsync(this AdjustmentService.AdjustmentServiceClient client, AdjustmentRecord record, AdjustmentItem item) =>
        client.CreateAdjustmentItemAsync(new CreateAdjustmentItemRequest { Parent = record.Name, AdjustmentItem = item, NhsUser = NhsUser() }).ResponseAsync;

    public static Task<AdjustmentRecord> GetAsync(this AdjustmentService.AdjustmentServiceClient client, AdjustmentRecord record) =>
        client.GetAdjustmentRecordAsync(new GetAdjustmentRecordRequest { Name = record.Name }).ResponseAsync;

    public static async Task<IReadOnlyList<AuditEvent>> AuditOfAsync(this TestApp app, string resourcePrefix) =>
        (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = resourcePrefix, PageSize = 1000 })).Events;
}
