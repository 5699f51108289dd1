namespace MhaRights.Server.Audit;

/// <summary>Configuration section "Audit" (docs/security.md, "Audit trail").</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The chain key itself, base64 (at least 32 bytes), e.g. from a secret store. Wins over the file.</summary>
    public string? ChainKey { get; set; }

    /// <summary>File holding the chain key (base64). Default: "audit-chain.key" in the data folder, created 0600 on
    /// first start. Servers sharing one database must share one key.</summary>
    public string? ChainKeyFile { get; set; }

    /// <summary>The append-only checkpoint log. Default: "audit-checkpoints.log" in the data folder.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>A signed checkpoint of the chain head is written after every this many events (and on shutdown).</summary>
    public int CheckpointEvery { get; set; } = 1000;
}
