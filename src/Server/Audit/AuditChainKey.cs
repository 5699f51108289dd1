using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;

namespace MhaRights.Server.Audit;

/// <summary>
/// The secret that makes the audit chain tamper-evident against someone who can write the database: each event's
/// hash is an HMAC-SHA256 under a key kept outside the database, so an edited event cannot be re-hashed, and
/// checkpoints of the chain head are signed with a second key derived from it. Without the key nobody — including
/// this server — can verify the chain, so it is backed up separately from the database.
/// </summary>
public sealed class AuditChainKey
{
    public const string DefaultFileName = "audit-chain.key";

    private readonly byte[] _eventKey;
    private readonly byte[] _checkpointKey;
    private readonly byte[] _pseudonymKey;

    public AuditChainKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("The audit chain key must be at least 32 bytes.");
        }

        // Separate keys per purpose, so an event hash can never be presented as a checkpoint signature.
        _eventKey = HMACSHA256.HashData(key, "mharights-audit-event-v1"u8);
        _checkpointKey = HMACSHA256.HashData(key, "mharights-audit-checkpoint-v1"u8);
        _pseudonymKey = HMACSHA256.HashData(key, "mharights-pseudonym-v1"u8);
    }

    /// <summary>Configured key, or the key file (created 0600 with 256 random bits on first start).</summary>
    public static AuditChainKey Load(AuditOptions options, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        if (!string.IsNullOrWhiteSpace(options.ChainKey))
        {
            return new AuditChainKey(Decode(options.ChainKey, "Audit:ChainKey"));
        }

        var path = options.ChainKeyFile is { Length: > 0 } file
            ? Path.GetFullPath(file)
            : Path.Combine(DataFolder.Ensure(database.DataDirectory), DefaultFileName);
        if (!File.Exists(path))
        {
            try
            {
                using var stream = new FileStream(path, DataFolder.Private(FileMode.CreateNew));
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created it first: use theirs.
            }
        }

        return new AuditChainKey(Decode(File.ReadAllText(path), path));
    }

    /// <summary>The event's chain hash: HMAC-SHA256 over its canonical form (which includes the previous hash).</summary>
    public string Hash(AuditEvent e) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_eventKey, Encoding.UTF8.GetBytes(AuditLog.Canonical(e))));

    /// <summary>Signature of a checkpoint of the chain head.</summary>
    public string Sign(long sequence, string hash, DateTime time) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_checkpointKey, Encoding.UTF8.GetBytes(string.Join('|',
            "checkpoint-v1", sequence.ToString(CultureInfo.InvariantCulture), hash, time.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)))));

    /// <summary>Constant-time check of a checkpoint signature.</summary>
    public bool Verify(long sequence, string hash, DateTime time, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(sequence, hash, time));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature ?? string.Empty));
    }

    private static byte[] Decode(string text, string source)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The audit chain key in {source} is not base64.");
        }
    }

    /// <summary>Keyed HMAC for auditor pseudonyms (Security/Pseudonyms.cs): derived, so a pseudonym is never a chain hash.</summary>
    public byte[] Pseudonym(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_pseudonymKey, data);
}
