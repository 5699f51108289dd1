using MhaRights.Server.Rights.Rules;
using NodaTime;

namespace MhaRights.Server.Tests.Rights.Rules;

/// <summary>
/// Shared test helpers. Inputs are written as London wall-clock times; expected values as explicit UTC so each
/// hand computation (in comments) is checkable. 2026 clock changes: GMT->BST Sun 29 Mar 01:00Z; BST->GMT Sun 25 Oct 01:00Z.
/// </summary>
internal static class RulesTestTime
{
    public static LegalCalendar Calendar => LegalCalendar.EnglandAndWales;

    public static RightsRuleSet Current => RightsRuleSets.Mha2007AndPolicingAndCrimeAct2017;

    public static ProvisionRule Rule(Provision provision) => Current[provision];

    /// <summary>London local time; strict, so a test cannot silently name a skipped or repeated wall time.</summary>
    public static Instant London(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(Calendar.Zone).ToInstant();

    public static Instant Utc(int year, int month, int day, int hour, int minute = 0) =>
        Instant.FromUtc(year, month, day, hour, minute);
}
