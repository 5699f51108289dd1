using MhaRights.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace MhaRights.Server.Tests.Hosting;

/// <summary>
/// The console log reads as lines in a terminal and as JSON for a collector, and start-up does not warn about a
/// Data Protection key ring the service never uses.
/// </summary>
public sealed class LoggingSetupTests
{
    [Theory]
    [InlineData(null, null, false, ConsoleFormatterNames.Simple)]
    [InlineData(null, null, true, ConsoleFormatterNames.Json)]
    [InlineData("auto", null, false, ConsoleFormatterNames.Simple)]
    [InlineData("auto", null, true, ConsoleFormatterNames.Json)]
    [InlineData("auto", "systemd", false, "systemd")]
    [InlineData("json", null, false, ConsoleFormatterNames.Json)]
    [InlineData("JSON", "simple", false, ConsoleFormatterNames.Json)]
    [InlineData("text", null, true, ConsoleFormatterNames.Simple)]
    [InlineData("text", "json", true, ConsoleFormatterNames.Simple)]
    public void ChooseFormatter_SettingAndTerminal_TextForPeopleJsonForCollectors(string? logFormat, string? formatterName, bool redirected, string expected) =>
        Assert.Equal(expected, LoggingSetup.ChooseFormatter(logFormat, formatterName, redirected));

    [Fact]
    public void ChooseFormatter_UnknownSetting_RefusesToStart() =>
        Assert.Throws<InvalidOperationException>(() => LoggingSetup.ChooseFormatter("xml", null, false));

    [Fact]
    public void CreateBuilder_LogFormatJson_ConsoleLoggerUsesJsonFormatter()
    {
        var builder = ServerApp.CreateBuilder(["--Server:LogFormat=json"], contentRoot: AppContext.BaseDirectory);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(ConsoleFormatterNames.Json, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.True(provider.GetRequiredService<IOptions<SimpleConsoleFormatterOptions>>().Value.SingleLine);
    }

    [Fact]
    public void CreateBuilder_DataProtection_NoKeyRingCreatedAtStartUp()
    {
        var builder = ServerApp.CreateBuilder([], contentRoot: AppContext.BaseDirectory);

        // The hosted service that creates (and warns about) the key ring at start-up is gone; anything that asks
        // for a protector gets an in-memory one that never writes keys to disk.
        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService");
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IHostedService));
        using var provider = builder.Services.BuildServiceProvider();
        Assert.IsType<EphemeralDataProtectionProvider>(provider.GetRequiredService<IDataProtectionProvider>());
    }

    [Fact]
    public void AppSettings_NoFixedFormatter_SoAutoDecides()
    {
        var builder = ServerApp.CreateBuilder([], contentRoot: AppContext.BaseDirectory);

        Assert.Null(builder.Configuration["Logging:Console:FormatterName"]);
        Assert.Equal("auto", builder.Configuration[LoggingSetup.LogFormatKey]);
    }
}
