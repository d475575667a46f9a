// joined_spatial_aggregate: a per-subscriber metric aggregated over the subscribers of each location;
// locations with 15 or fewer subscribers are dropped.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class JoinedSpatialAggregate : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("joined_spatial_aggregate", "JoinedSpatialAggregate", Parse, Schema);

    private static readonly string[] CategoricalMetrics = ["handset"];

    private JoinedSpatialAggregate(JsonObject normalised, Query locations, Query metric, string method)
        : base(normalised, SpatialUnit.Parse(locations.AggregationUnit)!)
    {
        Locations = locations;
        Metric = metric;
        Method = method;
    }

    public Query Locations { get; }

    public Query Metric { get; }

    public string Method { get; }

    public override string QueryKind => "joined_spatial_aggregate";

    public override string CacheClassName => "RedactedJoinedSpatialAggregate";

    public override IReadOnlyList<Query> Dependencies => [Locations, Metric];

    public override IReadOnlyList<string> Columns =>
        Method == "distr" ? [.. Unit.LocationColumns, "key", "value"] : [.. Unit.LocationColumns, "value"];

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit, "l");
        var joined = $"FROM ({source.SqlFor(Locations)}) l JOIN ({source.SqlFor(Metric)}) m ON m.subscriber = l.subscriber";
        if (Method != "distr")
        {
            return $"SELECT {loc}, {StatisticSql.Aggregate(Method, "m.value::float8")}::float8 AS value {joined} " +
                   $"GROUP BY {loc} HAVING count(DISTINCT l.subscriber) > {Redaction.Threshold}";
        }

        // Share of the location's subscribers per category.
        var tLoc = EventsSql.Columns(Unit, "t");
        return $"SELECT {tLoc}, t.key, t.n::float8 / t.total AS value FROM (SELECT c.*, sum(c.n) OVER (PARTITION BY " +
               $"{EventsSql.Columns(Unit, "c")}) AS total FROM (SELECT {loc}, m.value AS key, count(*) AS n {joined} " +
               $"GROUP BY {loc}, m.value) c) t WHERE t.total > {Redaction.Threshold}";
    }

    private static Query? Parse(SpecReader r)
    {
        var locations = r.Query("locations", QueryCatalog.ReferenceLocation);
        var metric = r.Query("metric", QueryCatalog.JoinableMetrics);
        var method = r.String("method", required: true, Enums.JoinedSpatialAggregateMethods);
        if (!r.Ok())
        {
            return null;
        }

        var allowed = CategoricalMetrics.Contains(metric!.QueryKind) ? ["distr"] : Enums.Statistics;
        if (!allowed.Contains(method!))
        {
            r.AddError("method", Messages.OneOf(allowed));
            return null;
        }

        return new JoinedSpatialAggregate(r.Normalised, locations!, metric, method!);
    }

    private static JsonObject Schema() => Kind("joined_spatial_aggregate",
    [
        DerivedAggregationUnit(),
        ("locations", Ref("ReferenceLocation")),
        ("method", Enum(Enums.JoinedSpatialAggregateMethods)),
        ("metric", Ref("JoinableMetrics")),
    ], "locations", "method", "metric");
}
