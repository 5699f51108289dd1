namespace MhaRights.Server.Patients;

/// <summary>NHS Data Dictionary Ethnic Category codes (2001 census classification), used for the
/// health-inequalities breakdowns.</summary>
public static class EthnicCategories
{
    public static readonly IReadOnlyDictionary<string, string> Codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["A"] = "White - British",
        ["B"] = "White - Irish",
        ["C"] = "White - Any other White background",
        ["D"] = "Mixed - White and Black Caribbean",
        ["E"] = "Mixed - White and Black African",
        ["F"] = "Mixed - White and Asian",
        ["G"] = "Mixed - Any other mixed background",
        ["H"] = "Asian or Asian British - Indian",
        ["J"] = "Asian or Asian British - Pakistani",
        ["K"] = "Asian or Asian British - Bangladeshi",
        ["L"] = "Asian or Asian British - Any other Asian background",
        ["M"] = "Black or Black British - Caribbean",
        ["N"] = "Black or Black British - African",
        ["P"] = "Black or Black British - Any other Black background",
        ["R"] = "Other Ethnic Groups - Chinese",
        ["S"] = "Other Ethnic Groups - Any other ethnic group",
        ["Z"] = "Not stated",
        ["99"] = "Not known",
    };
}
