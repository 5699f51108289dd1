namespace MhaRights.Server.Patients;

/// <summary>NHS number rules: 10 digits, the last a Modulus 11 check digit (weights 10..2).</summary>
public static class NhsNumber
{
    /// <summary>Removes spaces and hyphens people type; returns null for empty input.</summary>
    public static string? Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return string.Concat(value.Where(c => c is not (' ' or '-')));
    }

    public static bool IsValid(string? normalised)
    {
        if (normalised is null || normalised.Length != 10 || !normalised.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (normalised[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        // A remainder giving 10 means the number can never be valid.
        return check != 10 && check == normalised[9] - '0';
    }
}
