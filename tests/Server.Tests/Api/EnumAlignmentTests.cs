using MhaRights.Server.Api;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Tests.Api;

/// <summary>Domain enums share their numbers with the wire enums (the mapper casts); Provision maps by name.</summary>
public sealed class EnumAlignmentTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(Server.Rights.Duties.DutyKind), typeof(V1.DutyKind) },
        { typeof(Server.Rights.Duties.DutyState), typeof(V1.RightsDuty.Types.State) },
        { typeof(Server.Rights.Duties.DutyTrigger), typeof(V1.DutyTrigger) },
        { typeof(Server.Rights.Duties.AttemptOutcome), typeof(V1.AttemptOutcome) },
        { typeof(Server.Rights.Duties.AttemptState), typeof(V1.ExplanationAttempt.Types.State) },
        { typeof(Server.Rights.Duties.NearestRelativeSharing), typeof(V1.NearestRelativeSharing) },
        { typeof(Server.LegalStatus.EpisodeState), typeof(V1.LegalStatusEpisode.Types.State) },
        { typeof(Server.LegalStatus.EpisodeEndReason), typeof(V1.LegalStatusEpisode.Types.EndReason) },
        { typeof(Server.Patients.PatientSex), typeof(V1.Sex) },
        { typeof(Server.Patients.NearestRelativeStatus), typeof(V1.NearestRelative.Types.Status) },
        { typeof(Server.Rights.WorklistKind), typeof(V1.WorklistKind) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void DomainEnum_ComparedWithWireEnum_SameNumbersForSameMeaning(Type domain, Type wire)
    {
        static string Key(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var domainValues = Enum.GetValues(domain).Cast<object>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => Key(v.ToString()!));
        var wireValues = Enum.GetValues(wire).Cast<object>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => Key(v.ToString()!));
        Assert.Equal(wireValues.Keys.Order(), domainValues.Keys.Order());
        foreach (var (number, name) in wireValues)
        {
            // Compared without underscores and case, so RE_ATTEMPT_SCHEDULED matches ReattemptScheduled.
            Assert.Equal(name, domainValues[number]);
        }
    }

    [Fact]
    public void Provision_EveryDomainValue_RoundTripsThroughTheWire()
    {
        foreach (var provision in Enum.GetValues<Server.Rights.Rules.Provision>())
        {
            Assert.Equal(provision, EnumMaps.Provision("provision", EnumMaps.ToWire(provision)));
        }

        Assert.Equal(Enum.GetValues<Server.Rights.Rules.Provision>().Length + 1, Enum.GetValues<V1.Provision>().Length);
    }
}
