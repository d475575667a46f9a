using System.Text.RegularExpressions;

namespace FlowAkka.FlowDb.Cache;

/// <summary>
/// The cache table of a query: <c>cache.x&lt;query_id&gt;</c>. Ids are checked here, once, so every statement that
/// names a cache table can quote a value that is known to be 32 lowercase hex characters.
/// </summary>
public static partial class CacheTableName
{
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex QueryIdPattern();

    public static bool IsQueryId(string? queryId) => queryId is not null && QueryIdPattern().IsMatch(queryId);

    public static string TableName(string queryId) => "x" + Checked(queryId);

    /// <summary>The schema-qualified, quoted name: <c>cache."x&lt;id&gt;"</c>.</summary>
    public static string Qualified(string queryId) => $"cache.\"{TableName(queryId)}\"";

    /// <summary>What get_sql_for_query_result answers for a stored query (FlowKit's exact text).</summary>
    public static string SelectAll(string queryId) => $"SELECT * FROM cache.{TableName(queryId)}";

    /// <summary>The application_name a statement runs under, so it can be found and cancelled from any node.</summary>
    public static string ApplicationName(string queryId) => "flowakka:" + Checked(queryId);

    private static string Checked(string queryId) =>
        IsQueryId(queryId) ? queryId : throw new ArgumentException($"'{queryId}' is not a query id.", nameof(queryId));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ColumnPattern();

    public static string QuotedColumn(string column) =>
        ColumnPattern().IsMatch(column) ? $"\"{column}\"" : throw new ArgumentException($"'{column}' is not a column name.", nameof(column));
}
