using System.Text.Json.Nodes;

namespace FlowAkka.Cluster.Tests.Queries;

/// <summary>Query specs as FlowAPI sends them.</summary>
internal static class Specs
{
    public static JsonObject DailyLocation(string date = "2016-01-01", string method = "last", string unit = "admin3") => new()
    {
        ["query_kind"] = "daily_location",
        ["date"] = date,
        ["method"] = method,
        ["aggregation_unit"] = unit,
        ["subscriber_subset"] = null,
    };

    public static JsonObject SpatialAggregate(string date = "2016-01-01", string method = "last", string unit = "admin3") => new()
    {
        ["query_kind"] = "spatial_aggregate",
        ["locations"] = DailyLocation(date, method, unit),
    };

    public static JsonObject Dummy(string param, int delaySeconds = 0) => new()
    {
        ["query_kind"] = "dummy_query",
        ["dummy_param"] = param,
        ["aggregation_unit"] = "admin3",
        ["dummy_delay"] = delaySeconds,
    };
}
