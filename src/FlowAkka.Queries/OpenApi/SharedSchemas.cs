// Component schemas that are not query kinds: Hours, RandomSample and its three methods, Bounds, HistogramBins.
using System.Text.Json.Nodes;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.OpenApi;

public static class SharedSchemas
{
    public static IEnumerable<(string Name, JsonObject Schema)> All()
    {
        yield return ("Hours", Object(
            [("start_hour", Integer(min: 0, max: 24)), ("end_hour", Integer(min: 0, max: 24))],
            ["start_hour", "end_hour"]));
        yield return ("Bounds", Object(
            [("lower_bound", Number()), ("upper_bound", Number())], ["lower_bound", "upper_bound"]));
        yield return ("HistogramBins", Object(
            [("bin_list", new JsonObject { ["items"] = Number(), ["type"] = "array" }), ("n_bins", Integer())], []));
        yield return ("RandomSample", OneOf("sampling_method",
            [("system", "SystemRandomSample"), ("bernoulli", "BernoulliRandomSample"), ("random_ids", "RandomIDsRandomSample")]));
        yield return ("SystemRandomSample", Sample("system", Number()));
        yield return ("BernoulliRandomSample", Sample("bernoulli", Number()));
        yield return ("RandomIDsRandomSample", Sample("random_ids", Number(min: -1.0, max: 1.0)));
    }

    private static JsonObject Sample(string method, JsonObject seed) => Object(
    [
        ("estimate_count", new JsonObject { ["default"] = true, ["type"] = "boolean" }),
        ("fraction", Number(min: 0.0, max: 1.0, nullable: true)),
        ("sampling_method", Enum([method])),
        ("seed", seed),
        ("size", Integer(min: 1, nullable: true)),
    ], ["seed"]);
}
