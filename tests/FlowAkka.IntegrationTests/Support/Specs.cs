// Query specs as FlowAPI sends them; each scenario takes its own so their cache tables never overlap.
using System.Text.Json.Nodes;

namespace FlowAkka.IntegrationTests.Support;

public static class Specs
{
    public static readonly string[] Dates = ["2016-01-01", "2016-01-02", "2016-01-03"];
    public static readonly string[] Methods = ["last", "most-common"];
    public static readonly string[] Units = ["admin0", "admin1", "admin2", "admin3", "lon-lat"];

    public static JsonObject DailyLocation(string date, string method, string unit) => new()
    {
        ["query_kind"] = "daily_location",
        ["date"] = date,
        ["method"] = method,
        ["aggregation_unit"] = unit,
        ["subscriber_subset"] = null,
    };

    public static JsonObject SpatialAggregate(string date, string method, string unit) => new()
    {
        ["query_kind"] = "spatial_aggregate",
        ["locations"] = DailyLocation(date, method, unit),
    };

    /// <summary>The 30 distinct spatial_aggregate specs of the small dataset, in a fixed order.</summary>
    public static IReadOnlyList<JsonObject> AllSpatialAggregates() =>
        (from unit in Units from method in Methods from date in Dates select SpatialAggregate(date, method, unit)).ToList();

    /// <summary>The query id the cluster gives a spec (the query library's canonical md5).</summary>
    public static string IdOf(JsonObject spec) => FlowAkka.Queries.QueryCatalog.Parse(spec).Query!.QueryId;

    /// <summary>The id of the daily_location a spatial_aggregate reads (stored first, as its own cache table).</summary>
    public static string DependencyIdOf(JsonObject spec) =>
        FlowAkka.Queries.QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId;

    /// <summary>The id and the ids of every stored dependency: each gets exactly one CREATE TABLE.</summary>
    public static IReadOnlyList<string> StoredIdsOf(JsonObject spec)
    {
        var query = FlowAkka.Queries.QueryCatalog.Parse(spec).Query!;
        var ids = new List<string>();
        void Walk(FlowAkka.Queries.Query q)
        {
            ids.Add(q.QueryId);
            foreach (var d in q.Dependencies) Walk(d);
        }
        Walk(query);
        return ids.Distinct().ToList();
    }

    public static JsonObject Dummy(string param) => new()
    {
        ["query_kind"] = "dummy_query",
        ["dummy_param"] = param,
        ["aggregation_unit"] = "admin3",
        ["dummy_delay"] = 0,
    };
}
