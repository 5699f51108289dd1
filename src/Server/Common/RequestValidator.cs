using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;

namespace MhaRights.Server.Common;

/// <summary>
/// Collects every field violation of a request before anything is written, so the caller learns all problems
/// at once (one BadRequest detail) and a bad request never half-writes.
/// </summary>
public sealed partial class RequestValidator
{
    /// <summary>Clock skew accepted for "not in the future" checks.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    private readonly List<FieldViolation> _violations = [];

    public bool HasErrors => _violations.Count > 0;

    public RequestValidator Add(string field, string description)
    {
        _violations.Add(new FieldViolation(field, description));
        return this;
    }

    public bool Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return false;
        }

        return true;
    }

    public bool Required(string field, object? value)
    {
        if (value is null)
        {
            Add(field, "is required");
            return false;
        }

        return true;
    }

    /// <summary>Optional string bounded in length (0 = may be empty), holding no forbidden characters.</summary>
    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"must be at most {max} characters");
        }
        else
        {
            PlainText(field, value);
        }
    }

    /// <summary>
    /// Refuses control characters (C0, DEL, C1) and the bidirectional embedding, override and isolate characters
    /// (U+202A–U+202E, U+2066–U+2069), which make stored text display as something other than what it is (in
    /// reports, the CLI and audit listings). Free-text fields (<see cref="AllowsLineBreaks"/>) may hold tab and
    /// line breaks. Every text check of this class goes through here, so no field can forget it.
    /// </summary>
    public bool PlainText(string field, string? value)
    {
        if (string.IsNullOrEmpty(value) || FirstForbidden(value, AllowsLineBreaks(field)) < 0)
        {
            return true;
        }

        Add(field, AllowsLineBreaks(field)
            ? "must not contain control characters (other than tab and line breaks) or bidirectional formatting characters"
            : "must not contain control characters or bidirectional formatting characters");
        return false;
    }

    /// <summary>Index of the first character <see cref="PlainText"/> refuses, or -1.</summary>
    public static int FirstForbidden(string value, bool allowLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if ((char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
                || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Free-text fields — notes, comments, reasons, summaries, details, addresses — may span lines;
    /// names, codes, ids and filters may not.</summary>
    public static bool AllowsLineBreaks(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var name = field[(field.LastIndexOf('.') + 1)..];
        return name is "reason" or "summary" or "detail" or "address" or "free_text"
            || name.EndsWith("note", StringComparison.Ordinal)
            || name.EndsWith("comment", StringComparison.Ordinal);
    }

    /// <summary>Required string bounded in length.</summary>
    public void RequiredText(string field, string? value, int max)
    {
        if (Required(field, value))
        {
            MaxLength(field, value, max);
        }
    }

    public void Code(string field, string? value, int max)
    {
        if (Required(field, value) && (value!.Length > max || !CodePattern().IsMatch(value)))
        {
            Add(field, $"must be 1-{max} characters of letters, digits, '-', '_' or '.'");
        }
    }

    public void OptionalCode(string field, string? value, int max)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Code(field, value, max);
        }
    }

    public void DefinedEnum<TEnum>(string field, TEnum value, bool allowUnspecified = false)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            Add(field, $"has unknown value {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}");
        }
        else if (!allowUnspecified && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Add(field, "is required");
        }
    }

    /// <summary>A required timestamp that is not in the future (beyond <see cref="FutureTolerance"/>).</summary>
    public DateTime? PastTimestamp(string field, Timestamp? value, DateTime nowUtc)
    {
        var time = Timestamp(field, value, required: true);
        if (time is not null && time.Value > nowUtc + FutureTolerance)
        {
            Add(field, "must not be in the future");
            return null;
        }

        return time;
    }

    public DateTime? Timestamp(string field, Timestamp? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }

            return null;
        }

        // Protobuf timestamps outside 0001-9999 or with bad nanos throw on conversion.
        if (value.Nanos is < 0 or > 999_999_999 || value.Seconds < -62135596800L || value.Seconds > 253402300799L)
        {
            Add(field, "is not a valid timestamp");
            return null;
        }

        return value.ToDateTime();
    }

    public void PageSize(int pageSize, string field = "page_size")
    {
        if (pageSize < 0)
        {
            Add(field, "must not be negative");
        }
    }

    /// <summary>Runs one field conversion, collecting its violations instead of stopping at the first.</summary>
    public T Capture<T>(Func<T> convert)
    {
        ArgumentNullException.ThrowIfNull(convert);
        try
        {
            return convert();
        }
        catch (ValidationFailedException ex)
        {
            _violations.AddRange(ex.Violations);
            return default!;
        }
    }

    /// <summary>Trimmed text, or null for empty input (proto3 strings are never null).</summary>
    public static string? OrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public void ThrowIfInvalid()
    {
        if (_violations.Count > 0)
        {
            throw new ValidationFailedException(_violations.ToArray());
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex CodePattern();
}
