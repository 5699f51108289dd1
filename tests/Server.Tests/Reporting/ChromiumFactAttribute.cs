namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// A test that renders HTML in headless Chromium: runs when <c>/usr/bin/chromium</c> (or the binary named by
/// MHARIGHTS_TEST_CHROMIUM) exists; otherwise it is skipped and the reason is printed in the test results (CI installs
/// it with <c>apt-get install -y chromium</c>). Nothing is installed by the test itself.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "MHARIGHTS_TEST_CHROMIUM";

    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = $"Headless Chromium test skipped: no /usr/bin/chromium or /usr/bin/chromium-browser and {EnvironmentVariable} is not set (install with: apt-get install -y chromium).";
        }
    }
}

internal static class Chromium
{
    public static string? Path =>
        Environment.GetEnvironmentVariable(ChromiumFactAttribute.EnvironmentVariable) is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
}
