using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowAkka.Protocol;

/// <summary>
/// Which <c>params</c> keys each action takes. FlowKit unpacks params as Python keyword arguments, so a missing or an
/// extra key is a TypeError, answered with <see cref="Reply.WrongArguments"/>. run_query and get_aggregation_unit take
/// the query spec itself (any keys); the spec is validated later by the query library.
/// </summary>
public static class ActionParameters
{
    private static readonly string[] None = [];
    private static readonly string[] QueryIdOnly = ["query_id"];

    /// <summary>Exact keyword sets; null means "any keys" (the spec itself).</summary>
    private static readonly Dictionary<string, string[]?> Keywords = new(StringComparer.Ordinal)
    {
        [ActionNames.Ping] = None,
        [ActionNames.GetAvailableQueries] = None,
        [ActionNames.GetQuerySchemas] = None,
        [ActionNames.GetAvailableDates] = None,
        [ActionNames.ListQaChecks] = None,
        [ActionNames.PollQuery] = QueryIdOnly,
        [ActionNames.GetQueryKind] = QueryIdOnly,
        [ActionNames.GetQueryParams] = QueryIdOnly,
        [ActionNames.GetSqlForQueryResult] = QueryIdOnly,
        [ActionNames.GetGeoSqlForQueryResult] = QueryIdOnly,
        [ActionNames.CancelQuery] = QueryIdOnly,
        [ActionNames.ResetQuery] = QueryIdOnly,
        [ActionNames.GetGeography] = ["aggregation_unit"],
        [ActionNames.GetQaChecks] = ["start_date", "end_date", "cdr_type", "check_type"],
        [ActionNames.RunQuery] = null,
        [ActionNames.GetAggregationUnit] = null,
    };

    /// <summary>The keyword names the action takes, or null when it takes the query spec (any keys).</summary>
    public static IReadOnlyList<string>? KeywordsOf(string action) =>
        Keywords.TryGetValue(action, out var keys) ? keys : throw new ArgumentException($"Unknown action '{action}'.", nameof(action));

    /// <summary>Null when the params fit the action; otherwise the reply to send.</summary>
    /// <remarks>query_id must also be a string: a non-string id can never name a query, and handlers get a typed value.</remarks>
    public static Reply? Check(ActionRequest request)
    {
        if (!Keywords.TryGetValue(request.Action, out var keys))
            return Reply.WrongArguments(request.Action);
        if (keys is null)
            return null;
        if (request.Params.Count != keys.Length)
            return Reply.WrongArguments(request.Action);
        foreach (var key in keys)
        {
            if (!request.Params.ContainsKey(key))
                return Reply.WrongArguments(request.Action);
        }
        if (ReferenceEquals(keys, QueryIdOnly) && !IsString(request.Params["query_id"]))
            return Reply.WrongArguments(request.Action);
        return null;
    }

    /// <summary>The query_id of a request that passed <see cref="Check"/> (actions taking only query_id).</summary>
    public static string QueryId(ActionRequest request) => request.Params["query_id"]!.GetValue<string>();

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
