using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Console;

namespace MhaRights.Server.Hosting;

/// <summary>
/// The console log: one readable line per event for a person watching a terminal, JSON for a log collector (stdout
/// redirected to a file, a pipe, systemd or a container runtime). <c>Server:LogFormat</c> = <c>auto</c> (default),
/// <c>text</c> or <c>json</c> decides; in <c>auto</c> an explicit <c>Logging:Console:FormatterName</c> still wins.
/// </summary>
public static class LoggingSetup
{
    public const string LogFormatKey = "Server:LogFormat";

    /// <summary>The console formatter to use: <see cref="ConsoleFormatterNames.Simple"/> or <see cref="ConsoleFormatterNames.Json"/> (or the configured name).</summary>
    /// <param name="logFormat">Server:LogFormat: auto, text or json (null: auto).</param>
    /// <param name="formatterName">Logging:Console:FormatterName, when set.</param>
    /// <param name="outputRedirected">Whether stdout is a file or pipe rather than a terminal.</param>
    public static string ChooseFormatter(string? logFormat, string? formatterName, bool outputRedirected) =>
        logFormat?.Trim().ToLowerInvariant() switch
        {
            "json" => ConsoleFormatterNames.Json,
            "text" or "simple" => ConsoleFormatterNames.Simple,
            null or "" or "auto" => string.IsNullOrWhiteSpace(formatterName)
                ? outputRedirected ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple
                : formatterName,
            _ => throw new InvalidOperationException($"{LogFormatKey} must be auto, text or json (was '{logFormat}')."),
        };

    public static void ConfigureMhaRightsLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var formatter = ChooseFormatter(builder.Configuration[LogFormatKey], builder.Configuration["Logging:Console:FormatterName"], Console.IsOutputRedirected);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);

        // AddAuthentication registers ASP.NET Core Data Protection, whose hosted service creates a key ring at
        // start-up and warns "No XML encryptor configured" (and, without a HOME, that keys are not persisted). This
        // service has no cookies, antiforgery or other protected payloads (API keys are hashed, see Security/), so
        // the key ring is never needed: keep the protector services but do not create keys at start-up. The
        // ephemeral provider keeps anything that does ask for a protector working, in memory, without writing keys.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var keyRingStartup = builder.Services.Where(d => d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in keyRingStartup)
        {
            builder.Services.Remove(descriptor);
        }
    }
}
