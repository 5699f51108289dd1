using MhaRights.Server.Hosting;

namespace MhaRights.Server.Tests.Hosting;

/// <summary>
/// The server reads appsettings.json from the folder it is given (Program gives its own), not from the working
/// directory: started elsewhere it used to run without it, logging every SQL command at Information.
/// </summary>
public sealed class ContentRootTests
{
    [Fact]
    public void CreateBuilder_ContentRootGiven_ReadsAppSettingsFromThere()
    {
        var folder = Directory.CreateTempSubdirectory("mharights-root-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"), """{ "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore": "Error" } } }""");

            var builder = ServerApp.CreateBuilder([], contentRoot: folder.FullName);

            Assert.Equal("Error", builder.Configuration["Logging:LogLevel:Microsoft.EntityFrameworkCore"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void CreateBuilder_ServerOutputFolder_HasProductionLogLevels()
    {
        // The test output holds the server's appsettings.json, as the server's own output folder does.
        var builder = ServerApp.CreateBuilder([], contentRoot: AppContext.BaseDirectory);

        Assert.Equal("Warning", builder.Configuration["Logging:LogLevel:Microsoft.EntityFrameworkCore"]);
    }
}
