using MhaRights.Server.Common;

namespace MhaRights.Server.Api;

/// <summary>AIP-122 names of the reasonable-adjustment resources (kept beside, not inside, ResourceNames).</summary>
public static class AdjustmentNames
{
    private const string RecordSegment = "adjustmentRecord";
    private const string RecordPattern = "patients/{patient}/adjustmentRecord";
    private const string ItemPattern = "patients/{patient}/adjustmentRecord/items/{item}";

    public static string Record(string patientId) => $"patients/{patientId}/{RecordSegment}";

    public static string Item(string patientId, string itemId) => $"patients/{patientId}/{RecordSegment}/items/{itemId}";

    /// <summary>Parses <c>patients/{p}/adjustmentRecord</c>; INVALID_ARGUMENT naming <paramref name="field"/> otherwise.</summary>
    public static string ParseRecord(string field, string? name)
    {
        var parts = Split(field, name, RecordPattern);
        if (parts.Length != 3 || parts[0] != "patients" || !Ids.IsValid(parts[1]) || parts[2] != RecordSegment)
        {
            throw new ValidationFailedException(field, $"must have the form {RecordPattern}");
        }

        return parts[1];
    }

    /// <summary>Parses <c>patients/{p}/adjustmentRecord/items/{i}</c>.</summary>
    public static (string PatientId, string ItemId) ParseItem(string field, string? name)
    {
        var parts = Split(field, name, ItemPattern);
        if (parts.Length != 5 || parts[0] != "patients" || !Ids.IsValid(parts[1]) || parts[2] != RecordSegment || parts[3] != "items" || !Ids.IsValid(parts[4]))
        {
            throw new ValidationFailedException(field, $"must have the form {ItemPattern}");
        }

        return (parts[1], parts[4]);
    }

    private static string[] Split(string field, string? name, string pattern) =>
        string.IsNullOrEmpty(name) ? throw new ValidationFailedException(field, $"is required ({pattern})") : name.Split('/');
}
