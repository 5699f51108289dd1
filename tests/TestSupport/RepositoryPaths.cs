namespace MhaRights.Server.Tests.Infrastructure;

/// <summary>Finds files of the checkout (docs that tests keep in step with the code).</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MhaRights.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("MhaRights.sln not found above the test output folder.");
        }
    }

    public static string Docs(string fileName) => Path.Combine(Root, "docs", fileName);
}
