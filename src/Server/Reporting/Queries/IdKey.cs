namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// A resource id as a dictionary key for the report scan, made from the id's UTF-8 bytes as SQLite hands them over.
/// Ids of up to 21 characters of [a-z0-9-] (every id the service makes: Common/Ids, 20 characters) are packed into 128
/// bits, six per character, so a lookup among a million ids hashes and compares two integers instead of transcoding the
/// id and comparing strings (each such string is one more cache miss). Longer or other ids, which an import may bring,
/// are kept as text.
/// </summary>
internal readonly struct IdKey : IEquatable<IdKey>
{
    /// <summary>Characters that fit in the packed form.</summary>
    public const int MaxPackedLength = 21;

    private readonly UInt128 _packed;
    private readonly string? _text;

    private IdKey(UInt128 packed, string? text)
    {
        _packed = packed;
        _text = text;
    }

    public static IdKey From(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxPackedLength)
        {
            UInt128 packed = 0;
            foreach (var b in utf8)
            {
                // Codes 1-37 (0 is never a character), so ids of different lengths never pack alike.
                var code = b switch
                {
                    >= (byte)'a' and <= (byte)'z' => b - 'a' + 1,
                    >= (byte)'0' and <= (byte)'9' => b - '0' + 27,
                    (byte)'-' => 37,
                    _ => 0,
                };
                if (code == 0)
                {
                    return new IdKey(0, System.Text.Encoding.UTF8.GetString(utf8));
                }

                packed = (packed << 6) | (uint)code;
            }

            return new IdKey(packed, null);
        }

        return new IdKey(0, System.Text.Encoding.UTF8.GetString(utf8));
    }

    /// <summary>Whether the id is kept as text (not packed).</summary>
    public bool IsText => _text is not null;

    /// <summary>The packed id (0 for an id kept as text).</summary>
    public UInt128 Packed => _packed;

    public static IdKey From(string id) => From(System.Text.Encoding.UTF8.GetBytes(id));

    /// <summary>The id again (packed ids are unpacked: only the few ids bound back into a statement need it).</summary>
    public override string ToString()
    {
        if (_text is not null)
        {
            return _text;
        }

        Span<char> chars = stackalloc char[MaxPackedLength];
        var at = chars.Length;
        for (var packed = _packed; packed != 0; packed >>= 6)
        {
            var code = (int)(packed & 63);
            chars[--at] = code switch
            {
                <= 26 => (char)('a' + code - 1),
                <= 36 => (char)('0' + code - 27),
                _ => '-',
            };
        }

        return new string(chars[at..]);
    }

    public bool Equals(IdKey other) => _packed == other._packed && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IdKey other && Equals(other);

    public override int GetHashCode()
    {
        if (_text is not null)
        {
            return StringComparer.Ordinal.GetHashCode(_text);
        }

        // Both halves folded and mixed (a multiply is enough: the dictionary only needs the bits spread).
        var folded = (ulong)_packed ^ (ulong)(_packed >> 64);
        return (int)((folded * 0x9E3779B97F4A7C15UL) >> 32);
    }

    public static bool operator ==(IdKey left, IdKey right) => left.Equals(right);

    public static bool operator !=(IdKey left, IdKey right) => !left.Equals(right);
}
