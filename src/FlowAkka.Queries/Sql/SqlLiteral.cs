// Formats validated values as SQL literals; the only way a parameter value enters SQL.
using System.Globalization;

namespace FlowAkka.Queries.Sql;

public static class SqlLiteral
{
    /// <summary>'YYYY-MM-DD HH:MM:SS'::timestamptz from a parsed DateTime.</summary>
    public static string Timestamp(DateTime value) =>
        "'" + value.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff",
            CultureInfo.InvariantCulture) + "'::timestamptz";

    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Only finite numbers can be SQL literals.");
        }

        return value.ToString("R", CultureInfo.InvariantCulture) switch
        {
            var s when s.Contains('E', StringComparison.Ordinal) => value.ToString("F17", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.'),
            var s => s,
        } + "::float8";
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A text literal for library-owned strings (whitelisted identifiers, fixed words).</summary>
    public static string Text(string value)
    {
        if (value.Contains('\'') || value.Contains('\\') || value.Contains('\0'))
        {
            throw new ArgumentException("Text literals are built only from validated strings.", nameof(value));
        }

        return "'" + value + "'";
    }
}
