using MhaRights.Server.Rights.Rules;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace MhaRights.Server.Rights;

/// <summary>
/// Configuration section "Policy" in plain units, turned into <see cref="TrustPolicy"/>. Each trust sets its own
/// numbers; unset values keep the defaults (DHCFT: 24 hours, 3 months, 6 months for CTO).
/// </summary>
public sealed class TrustPolicySettings
{
    public double? InitialExplanationSlaHours { get; set; }

    /// <summary>Per-provision SLA in hours, keyed by provision name (e.g. "Section136": 4).</summary>
    public Dictionary<string, double> SlaHoursByProvision { get; set; } = [];

    public double? ReattemptIntervalHours { get; set; }

    public int? PeriodicIntervalMonths { get; set; }

    public int? CommunityPeriodicIntervalMonths { get; set; }

    public int? NearestRelativeCopyTargetDays { get; set; }

    public int? DischargeNoticeLeadDays { get; set; }

    public bool? SuppressHeadlineOnSmallNumerator { get; set; }

    public TrustPolicy ToPolicy()
    {
        var defaults = new TrustPolicy();
        var overrides = new Dictionary<Provision, Duration>(defaults.SlaOverrides);
        foreach (var (name, hours) in SlaHoursByProvision)
        {
            if (!Enum.TryParse<Provision>(name, ignoreCase: false, out var provision))
            {
                throw new InvalidOperationException($"Policy:SlaHoursByProvision has unknown provision '{name}'. Known: {string.Join(", ", Enum.GetNames<Provision>())}.");
            }

            overrides[provision] = Duration.FromHours(hours);
        }

        var policy = defaults with
        {
            InitialExplanationSla = InitialExplanationSlaHours is { } sla ? Duration.FromHours(sla) : defaults.InitialExplanationSla,
            SlaOverrides = overrides,
            ReattemptInterval = ReattemptIntervalHours is { } r ? Duration.FromHours(r) : defaults.ReattemptInterval,
            PeriodicInterval = PeriodicIntervalMonths is { } p ? Period.FromMonths(p) : defaults.PeriodicInterval,
            CommunityPeriodicInterval = CommunityPeriodicIntervalMonths is { } c ? Period.FromMonths(c) : defaults.CommunityPeriodicInterval,
            NearestRelativeCopyTarget = NearestRelativeCopyTargetDays is { } n ? Period.FromDays(n) : defaults.NearestRelativeCopyTarget,
            DischargeNoticeLead = DischargeNoticeLeadDays is { } d ? Period.FromDays(d) : defaults.DischargeNoticeLead,
            SuppressHeadlineOnSmallNumerator = SuppressHeadlineOnSmallNumerator ?? defaults.SuppressHeadlineOnSmallNumerator,
        };
        var problems = policy.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid Policy configuration: " + string.Join("; ", problems));
        }

        return policy;
    }
}

public static class RightsSetup
{
    public static IServiceCollection AddRights(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(TrustPolicy.SectionName).Get<TrustPolicySettings>() ?? new TrustPolicySettings();
        services.AddSingleton(settings.ToPolicy());
        services.AddSingleton(RightsRuleBook.Default);
        services.AddSingleton(configuration.GetSection(SweeperOptions.SectionName).Get<SweeperOptions>() ?? new SweeperOptions());
        services.AddScoped<PreloadedReads>();
        services.AddScoped<RightsLifecycle>();
        services.AddScoped<ExplanationRecorder>();
        services.AddScoped<NearestRelativeCopies>();
        services.AddScoped<Worklists>();
        services.AddScoped<AuthorityWorklists>();
        services.TryAddScoped<ICommunicationNeeds, NoCommunicationNeeds>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        return services;
    }
}
