using System.Security.Cryptography;

namespace MhaRights.Server.Common;

/// <summary>
/// Resource ids: 20 lowercase base-32 characters, DNS-safe as AIP-122 asks. The first 8 are the second the id was
/// made (Unix time, in the service's clock), in an alphabet in ASCII order, so ids sort in the order they were made;
/// the other 12 are random (60 bits), so an id is not guessable from another patient's.
/// </summary>
/// <remarks>
/// Why the time first: a new row's id then lands at the right-hand end of every index that leads with it (the row's
/// own primary key, and the patient, episode and duty indexes of rows whose parent is new too, as in an import), on
/// pages the database has just written, instead of on a random page of each index that must be read and written
/// again. A 40,000-row import read 3.5 GB and wrote 3.7 GB with random ids, 1.5 and 1.6 GB with these
/// (bench/ANALYSIS.md). What an id reveals is when its record was made, to the second, which the record shows anyway.
/// Ids made before this format, and imported ids (<see cref="IsValid"/>), are random or the trust's own and stay valid.
/// </remarks>
public static class Ids
{
    /// <summary>The random part's characters.</summary>
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The same characters in ASCII order (SQLite's BINARY, ordinal), for the time part.</summary>
    private const string OrderedAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private const int TimeLength = 8;
    private const int Length = 20;

    /// <summary>A new id made at <paramref name="utcNow"/> (the caller's TimeProvider, UTC).</summary>
    public static string New(DateTime utcNow)
    {
        // 8 characters of 5 bits hold 2^40 seconds (34,000 years); a clock before 1970 counts as 1970.
        var seconds = Math.Max(0, (utcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond);
        Span<char> chars = stackalloc char[Length];
        for (var i = TimeLength - 1; i >= 0; i--, seconds >>= 5)
        {
            chars[i] = OrderedAlphabet[(int)(seconds & 31)];
        }

        FillRandom(chars[TimeLength..]);
        return new string(chars);
    }

    /// <summary>Random characters only: for what must not reveal when it was made (an API key's lookup prefix).</summary>
    public static string Random(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 63);
        return string.Create(length, 0, static (chars, _) => FillRandom(chars));
    }

    /// <summary>Accepts ids of 1-63 characters of [a-z0-9-] (so imported ids may be trust-chosen).</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 63 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static void FillRandom(Span<char> chars)
    {
        Span<byte> bytes = stackalloc byte[chars.Length];
        RandomNumberGenerator.Fill(bytes);
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }
    }
}
