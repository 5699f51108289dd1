using NodaTime;

namespace MhaRights.Server.Rights.Rules;

/// <summary>
/// Automatic tribunal references (§3.3). <see cref="InitialReference"/>: s68(2), at the end of 6 months beginning with
/// the applicable day. <see cref="NotHeardFor"/>: s68(6) (managers, 3 years) or s71(2) (Secretary of State, restricted,
/// 3 years) since the case was last considered. <see cref="NotHeardForUnder18"/>: the s68(6) 1-year limb for a patient
/// who has not attained 18.
/// </summary>
public sealed record AutomaticReferenceRule(Period? InitialReference, Period? NotHeardFor, Period? NotHeardForUnder18)
{
    public static AutomaticReferenceRule None { get; } = new(null, null, null);

    public bool HasAny => InitialReference is not null || NotHeardFor is not null;
}
