namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// The legal status a person is held under. Member names are part of the API contract (mapped by name);
/// NHS Data Dictionary codes live on <see cref="ProvisionRule.DataDictionaryCode"/>, never in the enum values.
/// </summary>
public enum Provision
{
    Informal,
    Section2,
    Section3,
    Section4,
    Section5_2,
    Section5_4,
    Section35,
    Section36,
    Section37,
    Section37_41,
    Section38,
    Section44,
    Section45A,
    Section46,
    Section47,
    Section47_49,
    Section48,
    Section48_49,
    Section135,
    Section136,
    CriminalProcedureInsanity,
    OtherActs,
    Guardianship7,
    Guardianship37,
    CommunityTreatmentOrder,
    CommunityTreatmentOrderRecall,
    ConditionalDischarge,
}
