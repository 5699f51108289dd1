using System.Security.Cryptography;

namespace MhaRights.Server.Common;

/// <summary>
/// Resource ids: 20 lowercase base-32 characters, random. DNS-safe as AIP-122 asks, and not guessable from
/// another patient's id.
/// </summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int Length = 20;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>Accepts ids of 1-63 characters of [a-z0-9-] (so imported ids may be trust-chosen).</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 63 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
