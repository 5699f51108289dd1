namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>Syntax checks for SNOMED CT identifiers (SCTIDs).</summary>
public static class SnomedIdentifier
{
    // Verhoeff tables: d = dihedral group D5 multiplication, p = position permutations.
    private static readonly byte[,] Multiplication =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly byte[,] Permutation =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    /// <summary>
    /// True when <paramref name="value"/> has the shape of an SCTID: 6 to 18 ASCII digits without a leading zero.
    /// It does not check the check digit.
    /// </summary>
    public static bool HasValidShape(string? value) =>
        value is { Length: >= 6 and <= 18 } && value[0] != '0' && value.All(char.IsAsciiDigit);

    /// <summary>True when the last digit of a digit string is a correct Verhoeff check digit.</summary>
    public static bool HasValidCheckDigit(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var check = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var digit = value[value.Length - 1 - i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            check = Multiplication[check, Permutation[i % 8, digit]];
        }

        return value.Length > 0 && check == 0;
    }

    /// <summary>True when <paramref name="value"/> has the SCTID shape and a valid Verhoeff check digit.</summary>
    public static bool IsValid(string? value) => HasValidShape(value) && HasValidCheckDigit(value!);
}
