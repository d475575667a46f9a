// Shared shapes of kinds: per-subscriber location queries, per-subscriber metrics, per-location aggregates.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Kinds;

/// <summary>A query giving one or more locations per subscriber: (subscriber, pcod) or (subscriber, lon, lat).</summary>
public abstract class SubscriberLocationQuery(JsonObject normalised, SpatialUnit unit) : Query(normalised)
{
    public SpatialUnit Unit { get; } = unit;

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<string> Columns => Sql.LocationSql.SubscriberColumns(Unit);
}

/// <summary>A per-subscriber metric: (subscriber, value). Non-spatial.</summary>
public abstract class SubscriberMetricQuery(JsonObject normalised) : Query(normalised)
{
    public override string? AggregationUnit => null;

    public override IReadOnlyList<string> Columns => ["subscriber", "value"];
}

/// <summary>A per-location aggregate: (pcod, ..., value) or (lon, lat, ..., value).</summary>
public abstract class LocationAggregateQuery(JsonObject normalised, SpatialUnit unit) : Query(normalised)
{
    public SpatialUnit Unit { get; } = unit;

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<string> Columns => [.. Unit.LocationColumns, "value"];
}

internal static class Deps
{
    /// <summary>Dependencies list: the given queries plus the subscriber subset, if any.</summary>
    public static IReadOnlyList<Query> Of(StoredQueryReference? subset, params Query[] queries) =>
        subset is null ? queries : [.. queries, subset];
}
