namespace MhaRights.Server.Security;

/// <summary>The roles a caller acts in (one per credential). The RPC x role matrix is in Security/AccessPolicy.cs.</summary>
public static class Roles
{
    /// <summary>EPR systems (SystmOne, RiO...) recording on behalf of clinicians.</summary>
    public const string EprIntegration = "epr-integration";

    /// <summary>Clinical staff using a client directly.</summary>
    public const string Clinician = "clinician";

    /// <summary>The MHA office: worklists, corrections, imports.</summary>
    public const string MhaOffice = "mha-office";

    /// <summary>Auditors: reports and audit trail, read-only.</summary>
    public const string Auditor = "auditor";

    /// <summary>Administrators: API keys and configuration.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [EprIntegration, Clinician, MhaOffice, Auditor, Admin];

    /// <summary>Roles that may read the content of a reasonable-adjustment flag (others see only that one exists).</summary>
    public static bool MaySeeAdjustmentContent(string role) => role is EprIntegration or Clinician or MhaOffice;
}
