// Helpers shared by the per-subscriber metric kinds: their windowed fields and schemas.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

internal static class Metrics
{
    /// <summary>Schema of a metric: event window (+ hours), sampling, extra fields.</summary>
    public static JsonObject Schema(string kind, bool withHours, bool withEventTypes, bool withSampling, string[] required,
        params (string, JsonNode)[] extra) => Kind(kind,
    [
        .. EventWindow(withHours, withEventTypes),
        .. withSampling ? new[] { ("sampling", (JsonNode)Sampling()) } : [],
        .. extra,
    ], ["start_date", "end_date", .. required]);
}
