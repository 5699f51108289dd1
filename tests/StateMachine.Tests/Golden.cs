using System.Runtime.CompilerServices;
using System.Text;

namespace MhaRights.StateMachine.Tests;

/// <summary>
/// Compares text with a committed file under Golden/. Set <c>UPDATE_GOLDEN=1</c> to rewrite the file in the
/// source tree (then review the diff and commit it).
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, string actual, [CallerFilePath] string callerPath = "")
    {
        Assert.DoesNotContain('\r', actual);
        Assert.EndsWith("\n", actual, StringComparison.Ordinal);

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var sourcePath = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", fileName);
            File.WriteAllText(sourcePath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        var expectedPath = Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
        Assert.True(File.Exists(expectedPath), $"Golden file {expectedPath} is missing. Run the tests with UPDATE_GOLDEN=1 to create it.");

        // A Windows checkout may turn LF into CRLF; the content, not git's line-ending policy, is what is compared.
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            Assert.Fail(Describe(fileName, expected, actual));
        }
    }

    private static string Describe(string fileName, string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        static string At(string[] lines, int i) => i < lines.Length ? "\"" + lines[i] + "\"" : "<end of file>";
        return new StringBuilder()
            .AppendLine($"Output differs from Golden/{fileName} at line {line + 1}:")
            .AppendLine($"  expected: {At(expectedLines, line)}")
            .AppendLine($"  actual:   {At(actualLines, line)}")
            .AppendLine("Run with UPDATE_GOLDEN=1 to accept the new output, then review the diff. Full actual output:")
            .Append(actual)
            .ToString();
    }
}
