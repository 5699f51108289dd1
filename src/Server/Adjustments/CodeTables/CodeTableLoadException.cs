namespace MhaRights.Server.Adjustments.CodeTables;

/// <summary>A code-table data file is missing or invalid. The message names the file, line and column.</summary>
public sealed class CodeTableLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CodeTableLoadException()
        : this("Code table could not be loaded.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CodeTableLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public CodeTableLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a position in a file.</summary>
    public CodeTableLoadException(string fileName, int lineNumber, string message, Exception? innerException = null)
        : base(lineNumber > 0 ? $"{fileName}, line {lineNumber}: {message}" : $"{fileName}: {message}", innerException)
    {
        FileName = fileName;
        LineNumber = lineNumber;
    }

    /// <summary>The data file, when known.</summary>
    public string? FileName { get; }

    /// <summary>1-based line in the file, or 0 when the problem is not on one line.</summary>
    public int LineNumber { get; }
}
