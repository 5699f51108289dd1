using System.Text;
using MhaRights.Server.Adjustments.CodeTables;
using Xunit;

namespace MhaRights.Server.Tests.Adjustments.CodeTables;

/// <summary>The loader must refuse damaged data files instead of serving wrong codes.</summary>
public sealed class AdjustmentCodeTablesLoaderErrorTests
{
    private static readonly Dictionary<string, string> Embedded = CodeTableNames.All
        .Select(CodeTableNames.FileName)
        .ToDictionary(f => f, ReadEmbedded, StringComparer.Ordinal);

    [Fact]
    public void Load_UnchangedEmbeddedText_Succeeds()
    {
        var tables = LoadWith(new Dictionary<string, string>());

        Assert.Equal(348, tables.AdjustmentCodes.Count);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingFile()
    {
        var ex = Assert.Throws<CodeTableLoadException>(() =>
            AdjustmentCodeTables.Load(f => f == "removal-reasons.csv" ? null : Open(Embedded[f])));

        Assert.Equal("removal-reasons.csv", ex.FileName);
    }

    [Fact]
    public void Load_DuplicateAdjustmentRow_ThrowsNamingFileAndLine()
    {
        var text = Embedded["adjustment-codes.csv"] + "001,441092009,Does lip read,http://snomed.info/sct,\n";

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["adjustment-codes.csv"] = text }));

        Assert.Equal("adjustment-codes.csv", ex.FileName);
        Assert.Equal(CountLines(text), ex.LineNumber);
        Assert.Contains("duplicate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AdjustmentInUnknownCategory_ThrowsNamingColumn()
    {
        var text = Embedded["adjustment-codes.csv"] + "012,441092009,Does lip read,http://snomed.info/sct,\n";

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["adjustment-codes.csv"] = text }));

        Assert.Contains("category_code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameCodeWithDifferentDisplays_Throws()
    {
        var text = Embedded["adjustment-codes.csv"] + "002,441092009,Lip reads,http://snomed.info/sct,\n";

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["adjustment-codes.csv"] = text }));

        Assert.Contains("display", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingVersionHeader_Throws()
    {
        var text = Embedded["impairment-codes.csv"].Replace("# version: 1.0.0\n", string.Empty, StringComparison.Ordinal);

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["impairment-codes.csv"] = text }));

        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongTableHeader_Throws()
    {
        var text = Embedded["impairment-codes.csv"].Replace(
            "# table: impairment-codes", "# table: adjustment-codes", StringComparison.Ordinal);

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["impairment-codes.csv"] = text }));

        Assert.Equal("impairment-codes.csv", ex.FileName);
    }

    [Fact]
    public void Load_RenamedColumn_ThrowsNamingColumns()
    {
        var text = Embedded["impairment-codes.csv"].Replace("requires_text", "needs_text", StringComparison.Ordinal);

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["impairment-codes.csv"] = text }));

        Assert.Contains("requires_text", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadBoolean_ThrowsNamingColumn()
    {
        var text = Embedded["impairment-codes.csv"].Replace(
            "10,other,Other (please specify),true", "10,other,Other (please specify),yes", StringComparison.Ordinal);

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["impairment-codes.csv"] = text }));

        Assert.Contains("requires_text", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RowWithMissingField_Throws()
    {
        var text = Embedded["consent-proxy-roles.csv"] + "005,Someone\n";

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["consent-proxy-roles.csv"] = text }));

        Assert.Contains("fields", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingAnchorKey_Throws()
    {
        var lines = Embedded["anchor-codes.csv"].Split('\n').Where(l => !l.StartsWith("interpreter-needed,", StringComparison.Ordinal));

        var ex = Assert.Throws<CodeTableLoadException>(() =>
            LoadWith(new() { ["anchor-codes.csv"] = string.Join('\n', lines) }));

        Assert.Contains(AnchorCodeKeys.InterpreterNeeded, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoDefaultConditionCategories_Throws()
    {
        var text = Embedded["condition-categories.csv"].Replace("Co-morbidity,false", "Co-morbidity,true", StringComparison.Ordinal);

        var ex = Assert.Throws<CodeTableLoadException>(() => LoadWith(new() { ["condition-categories.csv"] = text }));

        Assert.Contains("is_default", ex.Message, StringComparison.Ordinal);
    }

    private static AdjustmentCodeTables LoadWith(Dictionary<string, string> overrides) =>
        AdjustmentCodeTables.Load(f => Open(overrides.TryGetValue(f, out var text) ? text : Embedded[f]));

    private static MemoryStream Open(string text) => new(Encoding.UTF8.GetBytes(text));

    private static int CountLines(string text) => text.TrimEnd('\n').Split('\n').Length;

    private static string ReadEmbedded(string fileName)
    {
        using var stream = typeof(AdjustmentCodeTables).Assembly.GetManifestResourceStream(AdjustmentCodeTables.ResourcePrefix + fileName)
            ?? throw new InvalidOperationException($"{fileName} is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
