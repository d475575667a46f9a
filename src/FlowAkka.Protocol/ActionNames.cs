namespace FlowAkka.Protocol;

/// <summary>The actions the server accepts, in FlowKit's ACTION_HANDLERS order (it shows in error texts).</summary>
public static class ActionNames
{
    public const string Ping = "ping";
    public const string GetAvailableQueries = "get_available_queries";
    public const string GetQuerySchemas = "get_query_schemas";
    public const string RunQuery = "run_query";
    public const string PollQuery = "poll_query";
    public const string GetQueryKind = "get_query_kind";
    public const string GetQueryParams = "get_query_params";
    public const string GetSqlForQueryResult = "get_sql_for_query_result";
    public const string GetGeoSqlForQueryResult = "get_geo_sql_for_query_result";
    public const string GetGeography = "get_geography";
    public const string GetAvailableDates = "get_available_dates";
    public const string GetAggregationUnit = "get_aggregation_unit";
    public const string ListQaChecks = "list_qa_checks";
    public const string GetQaChecks = "get_qa_checks";
    public const string CancelQuery = "cancel_query";
    public const string ResetQuery = "reset_query";

    public static IReadOnlyList<string> All { get; } =
    [
        Ping, GetAvailableQueries, GetQuerySchemas, RunQuery, PollQuery, GetQueryKind, GetQueryParams,
        GetSqlForQueryResult, GetGeoSqlForQueryResult, GetGeography, GetAvailableDates, GetAggregationUnit,
        ListQaChecks, GetQaChecks, CancelQuery, ResetQuery,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string action) => Known.Contains(action);
}
