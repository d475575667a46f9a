// spatial_aggregate: number of subscribers per location of a reference location query (redacted).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class SpatialAggregate : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("spatial_aggregate", "SpatialAggregate", Parse, Schema);

    private SpatialAggregate(JsonObject normalised, Query locations)
        : base(normalised, SpatialUnit.Parse(locations.AggregationUnit)!)
    {
        Locations = locations;
    }

    public Query Locations { get; }

    public override string QueryKind => "spatial_aggregate";

    public override string CacheClassName => "RedactedSpatialAggregate";

    public override IReadOnlyList<Query> Dependencies => [Locations];

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "l")}, count(*) AS value FROM ({source.SqlFor(Locations)}) l " +
        $"GROUP BY {EventsSql.Columns(Unit, "l")}");

    private static Query? Parse(SpecReader r)
    {
        var locations = r.Query("locations", QueryCatalog.ReferenceLocation);
        return r.Ok() ? new SpatialAggregate(r.Normalised, locations!) : null;
    }

    private static JsonObject Schema() => Kind("spatial_aggregate",
        [DerivedAggregationUnit(), ("locations", Ref("ReferenceLocation"))], "locations");
}
