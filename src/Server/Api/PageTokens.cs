using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MhaRights.Server.Common;

namespace MhaRights.Server.Api;

/// <summary>
/// AIP-158 pagination: opaque URL-safe tokens carrying the keyset position plus a fingerprint of the request's
/// other arguments, so a token reused with changed filters is refused (INVALID_ARGUMENT).
/// </summary>
public static class PageTokens
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static int Size(int requested) =>
        requested switch
        {
            < 0 => throw new ValidationFailedException("page_size", "must not be negative"),
            0 => DefaultPageSize,
            > MaxPageSize => MaxPageSize,
            _ => requested,
        };

    public static string Encode(string fingerprint, params string[] keys)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Token(Hash(fingerprint), keys));
        return Base64Url.EncodeToString(json);
    }

    /// <summary>Returns null for an empty token (first page).</summary>
    public static string[]? Decode(string? token, string fingerprint)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        Token? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new ValidationFailedException("page_token", "is not a token returned by this method");
        }

        if (parsed?.F is null || parsed.K is null || parsed.K.Length == 0)
        {
            throw new ValidationFailedException("page_token", "is not a token returned by this method");
        }

        if (!string.Equals(parsed.F, Hash(fingerprint), StringComparison.Ordinal))
        {
            throw new ValidationFailedException("page_token", "was issued for a request with different arguments");
        }

        return parsed.K;
    }

    /// <summary>Token for a (time, id) keyset position, the ordering most lists use.</summary>
    public static string EncodeTimeAndId(string fingerprint, DateTime time, string id) =>
        Encode(fingerprint, time.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), id);

    /// <summary>Decodes a (time, id) token; null on the first page.</summary>
    public static (DateTime Time, string Id)? DecodeTimeAndId(string? token, string fingerprint)
    {
        var keys = Decode(token, fingerprint);
        if (keys is null)
        {
            return null;
        }

        if (keys.Length != 2 || !long.TryParse(keys[0], System.Globalization.CultureInfo.InvariantCulture, out var ticks) || ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            throw new ValidationFailedException("page_token", "is not a token returned by this method");
        }

        return (new DateTime(ticks, DateTimeKind.Utc), keys[1]);
    }

    private static string Hash(string fingerprint) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)).AsSpan(0, 8));

    private sealed record Token(string F, string[] K);
}
