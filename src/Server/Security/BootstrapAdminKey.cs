using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Security;

/// <summary>
/// First run: with no API keys in the database, create an admin key and write it to a file only the service
/// account can read (mode 0600) in the data folder. The log names the file, never the key.
/// </summary>
public static partial class BootstrapAdminKey
{
    public const string FileName = "bootstrap-admin.key";

    public static async Task<string?> EnsureBootstrapAdminKeyAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var security = services.GetRequiredService<SecurityOptions>();
        if (!security.ApiKeys.Enabled)
        {
            return null;
        }

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<MhaRightsDbContext>();
        if (await db.ApiKeys.AnyAsync(cancellationToken))
        {
            return null;
        }

        var store = provider.GetRequiredService<ApiKeyStore>();
        var time = provider.GetRequiredService<TimeProvider>();
        string? secret = null;
        await provider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(ct =>
        {
            (_, secret) = store.Create("Bootstrap administrator", Roles.Admin, time.GetUtcNow().UtcDateTime + security.ApiKeys.BootstrapKeyLifetime, CallerIdentity.System);
            return Task.CompletedTask;
        }, cancellationToken);

        var directory = DataFolder.Ensure(provider.GetRequiredService<DatabaseOptions>().DataDirectory);
        var path = Path.Combine(directory, FileName);
        File.Delete(path);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), fileOptions))
        {
            await writer.WriteLineAsync(secret);
        }

        LogCreated(provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapAdminKey)), path);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API keys existed, so a bootstrap admin key was created and written to {Path} (readable only by this account). Use it to create keys for people and systems, then revoke it.")]
    private static partial void LogCreated(ILogger logger, string path);
}
