using System.Runtime.CompilerServices;
using MhaRights.Server.Common;
using Domain = MhaRights.Server.Rights.Rules;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>
/// Wire enums to domain enums. Most domain enums share the wire values (checked by a test); Provision differs
/// (the wire has UNSPECIFIED = 0), so it maps by name once, here.
/// </summary>
public static class EnumMaps
{
    private static readonly Dictionary<V1.Provision, Domain.Provision> ToDomainProvision =
        Enum.GetValues<Domain.Provision>().ToDictionary(
            d => Enum.GetValues<V1.Provision>().Single(v => Normalise(v.ToString()) == Normalise(d.ToString())),
            d => d);

    private static readonly Dictionary<Domain.Provision, V1.Provision> ToWireProvision =
        ToDomainProvision.ToDictionary(kv => kv.Value, kv => kv.Key);

    public static Domain.Provision Provision(string field, V1.Provision value) =>
        ToDomainProvision.TryGetValue(value, out var provision)
            ? provision
            : throw new ValidationFailedException(field, value == V1.Provision.Unspecified ? "is required" : $"has unknown value {(int)value}");

    public static Domain.Provision? OptionalProvision(string field, V1.Provision value) =>
        value == V1.Provision.Unspecified ? null : Provision(field, value);

    public static V1.Provision ToWire(Domain.Provision provision) => ToWireProvision[provision];

    public static V1.Provision ToWire(Domain.Provision? provision) => provision is null ? V1.Provision.Unspecified : ToWireProvision[provision.Value];

    /// <summary>Casts between enums that share values, rejecting values the wire does not define.</summary>
    public static TTo Cast<TFrom, TTo>(string field, TFrom value, bool allowUnspecified = false)
        where TFrom : struct, Enum
        where TTo : struct, Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (!Enum.IsDefined(value) || !Enum.IsDefined(typeof(TTo), number))
        {
            throw new ValidationFailedException(field, $"has unknown value {number}");
        }

        if (number == 0 && !allowUnspecified)
        {
            throw new ValidationFailedException(field, "is required");
        }

        return (TTo)Enum.ToObject(typeof(TTo), number);
    }

    public static TTo Same<TFrom, TTo>(TFrom value)
        where TFrom : struct, Enum
        where TTo : struct, Enum =>
        // Both int-backed (every enum here): reinterpret the number without boxing; this runs several times per
        // row of every read. Anything else keeps the general conversion.
        Unsafe.SizeOf<TFrom>() == sizeof(int) && Unsafe.SizeOf<TTo>() == sizeof(int)
            && typeof(TFrom).GetEnumUnderlyingType() == typeof(int) && typeof(TTo).GetEnumUnderlyingType() == typeof(int)
            ? Unsafe.BitCast<TFrom, TTo>(value)
            : (TTo)Enum.ToObject(typeof(TTo), Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));

    private static string Normalise(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
