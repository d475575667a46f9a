// labelled_spatial_aggregate: subscribers per location of a coalesced_location, split by their
// mobility_classification label; a location is dropped when any of its labels counts 15 or fewer (ADR 0011).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class LabelledSpatialAggregate : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("labelled_spatial_aggregate", "LabelledSpatialAggregate", Parse, Schema);

    private LabelledSpatialAggregate(JsonObject normalised, Query locations, Query labels)
        : base(normalised, SpatialUnit.Parse(locations.AggregationUnit)!)
    {
        Locations = locations;
        Labels = labels;
    }

    public Query Locations { get; }

    public Query Labels { get; }

    public override string QueryKind => "labelled_spatial_aggregate";

    public override string CacheClassName => "RedactedLabelledSpatialAggregate";

    public override IReadOnlyList<string> Columns => [.. Unit.LocationColumns, "value_label", "value"];

    public override IReadOnlyList<Query> Dependencies => [Locations, Labels];

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit, "agg");
        var counts = $"SELECT {loc}, labels.value AS value_label, count(*) AS value FROM ({source.SqlFor(Locations)}) agg " +
                     $"LEFT JOIN ({source.SqlFor(Labels)}) labels USING (subscriber) GROUP BY {loc}, labels.value";
        return LabelledRedaction.KeepLocations(counts, Unit.LocationColumns, Columns);
    }

    private static Query? Parse(SpecReader r)
    {
        var locations = r.Query("locations", QueryCatalog.CoalescedLocationOnly);
        var labels = r.Query("labels", QueryCatalog.MobilityClassificationOnly);
        return r.Ok() ? new LabelledSpatialAggregate(r.Normalised, locations!, labels!) : null;
    }

    private static JsonObject Schema() => Kind("labelled_spatial_aggregate",
        [("labels", Ref("MobilityClassification")), ("locations", Ref("CoalescedLocation"))], "locations", "labels");
}

/// <summary>FlowKit's RedactedLabelledAggregate: keep a location (or flow) only if every label counts more than 15.</summary>
internal static class LabelledRedaction
{
    public static string KeepLocations(string countsSql, IReadOnlyList<string> spatialColumns, IReadOnlyList<string> columns)
    {
        var keys = string.Join(", ", spatialColumns);
        // Plain equality, as FlowKit's INNER JOIN ... USING: rows without a location are dropped too.
        var on = string.Join(" AND ", spatialColumns.Select(c => $"q.{c} = k.{c}"));
        return $"WITH labelled AS ({countsSql}), keep AS (SELECT {keys} FROM labelled GROUP BY {keys} " +
               $"HAVING min(value) > {Redaction.Threshold}) " +
               $"SELECT {string.Join(", ", columns.Select(c => "q." + c))} FROM labelled q JOIN keep k ON {on}";
    }
}
