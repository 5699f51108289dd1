using Domain = MhaRights.Server.Adjustments;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Tests.Adjustments;

/// <summary>The adjustment domain enums share their numbers with the wire enums (the mapper casts between them).</summary>
public sealed class AdjustmentEnumAlignmentTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(Domain.AdjustmentRecordState), typeof(V1.AdjustmentRecord.Types.State) },
        { typeof(Domain.AdjustmentSharingState), typeof(V1.AdjustmentRecord.Types.SharingState) },
        { typeof(Domain.AdjustmentReviewState), typeof(V1.AdjustmentRecord.Types.ReviewState) },
        { typeof(Domain.AdjustmentIdentificationSource), typeof(V1.AdjustmentRecord.Types.IdentificationSource) },
        { typeof(Domain.SharingDecision), typeof(V1.AdjustmentSharingDecision.Types.Decision) },
        { typeof(Domain.AdjustmentItemKind), typeof(V1.AdjustmentItem.Types.Kind) },
        { typeof(Domain.AdjustmentItemState), typeof(V1.AdjustmentItem.Types.State) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void DomainEnum_ComparedWithWireEnum_SameNumbersForSameMeaning(Type domain, Type wire)
    {
        static string Key(object value) => value.ToString()!.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        static int Number(object value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        var domainValues = Enum.GetValues(domain).Cast<object>().ToDictionary(Number, Key);
        var wireValues = Enum.GetValues(wire).Cast<object>().ToDictionary(Number, Key);

        Assert.Equal(wireValues.Keys.Order(), domainValues.Keys.Order());
        // Zero is "unspecified" on the wire and the domain's "none / not applicable".
        foreach (var (number, name) in wireValues.Where(kv => kv.Key != 0))
        {
            Assert.Equal(name, domainValues[number]);
        }
    }
}
