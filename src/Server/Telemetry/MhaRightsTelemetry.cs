using System.Diagnostics;

namespace MhaRights.Server.Telemetry;

/// <summary>
/// The service's own trace source and the names of its meter and spans. A span costs nothing when no listener is
/// attached (<see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null), so the hot paths call it
/// unconditionally.
/// </summary>
public static class MhaRightsTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and of the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "MhaRights";

    /// <summary>One span per unit of work (one write transaction), tagged with its operation.</summary>
    public const string UnitOfWorkSpan = "MhaRights.UnitOfWork";

    /// <summary>One span per deadline sweep, tagged with what it changed.</summary>
    public const string SweepSpan = "MhaRights.DeadlineSweep";

    public static readonly ActivitySource Source = new(Name, typeof(MhaRightsTelemetry).Assembly.GetName().Version?.ToString());
}
