using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MhaRights.Server.Persistence;

/// <summary>
/// The SQLite column accessors the report scan calls tens of millions of times (17 columns of 4 million duties), and the
/// hot reads through SqliteEntityReader, bound directly to the same e_sqlite3 library Microsoft.Data.Sqlite loads.
/// SQLitePCL's wrappers take a SafeHandle
/// reference and make a GC transition on every call, which cost more than SQLite's own work here; these only read
/// memory SQLite holds for the current row, so the transition is suppressed.
/// </summary>
internal static unsafe partial class SqliteColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>The column's text as the UTF-8 bytes SQLite holds (empty for NULL), valid until the next step.</summary>
    public static ReadOnlySpan<byte> Text(IntPtr statement, int column)
    {
        // Text first, then its length (SQLite's documented order: the length is of the converted value).
        var text = ColumnText(statement, column);
        return text is null ? default : new ReadOnlySpan<byte>(text, ColumnBytes(statement, column));
    }

    public static int Int(IntPtr statement, int column) => ColumnInt(statement, column);

    public static long Int64(IntPtr statement, int column) => ColumnInt64(statement, column);

    public static double Double(IntPtr statement, int column) => ColumnDouble(statement, column);

    public static bool IsNull(IntPtr statement, int column) => ColumnType(statement, column) == 5; // SQLITE_NULL

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial byte* ColumnText(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial int ColumnBytes(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial int ColumnInt(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial double ColumnDouble(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressGCTransition]
    private static partial int ColumnType(IntPtr statement, int column);
}
