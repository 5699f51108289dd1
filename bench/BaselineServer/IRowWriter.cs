using System.Security.Cryptography;

namespace MhaRights.Bench.BaselineServer;

/// <summary>The one-row-insert baseline's database side.</summary>
internal interface IRowWriter : IDisposable
{
    string Describe { get; }

    void Open();

    Task<string> InsertAsync(string patientId, string payload, CancellationToken cancellationToken);
}

/// <summary>Both baselines' row ids: the service's shape, 20 random base-32 characters.</summary>
internal static class RowIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[20];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }
}
