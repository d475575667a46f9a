// Small FlowKit-protocol helpers over FlowKitClient: run, poll until settled, and request bodies.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Client;
using FlowAkka.Protocol;
using FlowAkka.Queries;

namespace FlowAkka.Benchmarks.Support;

public static class Requests
{
    public static string QueryId(JsonObject spec) =>
        QueryCatalog.ParseAny(spec) is { Query: { } q } ? q.QueryId : throw new ArgumentException($"invalid spec: {spec.ToJsonString()}: {QueryCatalog.ParseAny(spec).ValidationErrors?.ToJsonString()}");

    public static byte[] Body(string action, JsonObject? parameters, string requestId = "bench") =>
        new ActionRequest(requestId, action, parameters ?? new JsonObject()).ToUtf8Bytes();

    public static async Task<string> RunAsync(this FlowKitClient client, JsonObject spec)
    {
        var reply = await client.RequestAsync("run_query", (JsonObject)spec.DeepClone());
        if (!reply.IsSuccess) throw new InvalidOperationException($"run_query failed: {reply}");
        return reply.Payload["query_id"]!.GetValue<string>();
    }

    public static async Task<string> StateAsync(this FlowKitClient client, string queryId)
    {
        var reply = await client.RequestAsync("poll_query", new JsonObject { ["query_id"] = queryId });
        return reply.Payload["query_state"]?.GetValue<string>() ?? $"({reply.Msg})";
    }

    /// <summary>Polls every <paramref name="interval"/> until the query leaves queued/executing; throws unless completed.</summary>
    public static async Task AwaitCompletedAsync(this FlowKitClient client, string queryId, TimeSpan interval, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = await client.StateAsync(queryId);
            if (state == "completed") return;
            if (state is not ("queued" or "executing" or "known"))
                throw new InvalidOperationException($"query {queryId} ended {state}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"query {queryId} still {state} after {timeout}");
            await Task.Delay(interval);
        }
    }

    public static JsonObject DailyLocation(string date, string unit, string method = "last", int? startHour = null, int? endHour = null)
    {
        var spec = new JsonObject
        {
            ["query_kind"] = "daily_location", ["date"] = date, ["method"] = method, ["aggregation_unit"] = unit,
        };
        if (startHour is not null) spec["hours"] = new JsonObject { ["start_hour"] = startHour, ["end_hour"] = endHour };
        return spec;
    }

    public static JsonObject SpatialAggregate(JsonObject locations) =>
        new() { ["query_kind"] = "spatial_aggregate", ["locations"] = locations.DeepClone() };

    public static JsonObject Dummy(string param) =>
        new() { ["query_kind"] = "dummy_query", ["dummy_param"] = param, ["aggregation_unit"] = "admin3" };
}
