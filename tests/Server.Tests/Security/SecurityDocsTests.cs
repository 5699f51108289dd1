using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>docs/security.md publishes the RPC x role matrix; generated from AccessPolicy and checked here.</summary>
public sealed class SecurityDocsTests
{
    [Fact]
    public void SecurityDoc_AccessMatrix_MatchesTheEnforcedPolicy()
    {
        var path = RepositoryPaths.Docs("security.md");
        var marker = "<!-- matrix -->";
        var table = RenderMatrix();
        var current = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty;
        var start = current.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : current.IndexOf(marker, start + marker.Length, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" && start >= 0 && end > start)
        {
            current = current[..(start + marker.Length)] + "\n" + table + current[end..];
            File.WriteAllText(path, current);
        }

        Assert.True(start >= 0 && end > start, "docs/security.md needs a pair of <!-- matrix --> markers");
        var published = current[(start + marker.Length)..end].Trim('\n');
        Assert.True(published == table.Trim('\n'), "docs/security.md matrix is out of date; run the tests with UPDATE_GOLDEN=1 and review the diff.");
    }

    private static string RenderMatrix()
    {
        var text = new System.Text.StringBuilder();
        text.Append("| RPC | ").Append(string.Join(" | ", Roles.All)).Append(" |\n");
        text.Append("|---|").Append(string.Concat(Roles.All.Select(_ => "---|"))).Append('\n');
        foreach (var (method, roles) in AccessPolicy.Matrix.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append("| `").Append(method.Replace("mharights.v1.", string.Empty, StringComparison.Ordinal)).Append("` | ");
            text.Append(string.Join(" | ", Roles.All.Select(r => roles.Contains(r) ? "yes" : "–"))).Append(" |\n");
        }

        return text.ToString();
    }
}
