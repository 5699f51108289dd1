using System.Text;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;

namespace MhaRights.Server.Security;

/// <summary>
/// What an auditor without identifiable access sees of a patient (docs/security.md "Pseudonyms"): no NHS number,
/// names, date of birth, EPR id or nearest-relative contact details, but a keyed pseudonym that is the same for the
/// same patient in every response, so records can still be counted and followed. The pseudonym is an HMAC of the
/// patient's id under a key derived from the audit chain key: stable across restarts and servers sharing the key,
/// and not computable (so not reversible by guessing NHS numbers) without it.
/// </summary>
public sealed class Pseudonyms(ICallerContext caller, AuditChainKey key)
{
    public const string Prefix = "PSN-";

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>True when the current caller sees pseudonyms.</summary>
    public bool Applies => IsPseudonymised(caller.Caller);

    public static bool IsPseudonymised(CallerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Role == Roles.Auditor && !identity.Scope.IdentifiableAccess;
    }

    /// <summary>"PSN-" then 16 Crockford base-32 characters (80 bits) of the keyed hash of the patient id.</summary>
    public string For(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        var hash = key.Pseudonym(Encoding.UTF8.GetBytes(patientId));
        var text = new StringBuilder(Prefix, Prefix.Length + 16);
        ulong buffer = 0;
        var bits = 0;
        foreach (var b in hash.AsSpan(0, 10))
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Alphabet[(int)((buffer >> bits) & 31)]);
            }
        }

        return text.ToString();
    }

    /// <summary>The patient as this caller may see it.</summary>
    public Contracts.V1.Patient ToProto(Patients.Patient patient)
    {
        var proto = ProtoMapper.ToProto(patient);
        if (!Applies)
        {
            return proto;
        }

        var pseudonym = For(patient.Id);
        proto.Pseudonymised = true;
        proto.Pseudonym = pseudonym;
        proto.LocalId = pseudonym;
        proto.NhsNumber = string.Empty;
        proto.GivenName = string.Empty;
        proto.FamilyName = string.Empty;
        proto.DateOfBirth = null;
        if (proto.NearestRelative is { } nr)
        {
            nr.FullName = string.Empty;
            nr.Address = string.Empty;
            nr.Contact = string.Empty;
        }

        return proto;
    }

    /// <summary>Looking a patient up by NHS number or EPR id would re-identify them: refused for callers who see pseudonyms.</summary>
    public void RefuseIdentifyingFilter(string? nhsNumber, string? localId)
    {
        if (Applies && (!string.IsNullOrEmpty(nhsNumber) || !string.IsNullOrEmpty(localId)))
        {
            throw new ScopeDeniedException(ErrorReasons.IdentifiableAccessRequired,
                "Filtering patients by NHS number or local_id needs identifiable access; this caller sees pseudonyms.",
                new Dictionary<string, string> { ["field"] = !string.IsNullOrEmpty(nhsNumber) ? "nhs_number" : "local_id" });
        }
    }
}
