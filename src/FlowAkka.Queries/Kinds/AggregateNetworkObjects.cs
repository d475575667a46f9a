// aggregate_network_objects: a statistic of a total_network_objects series per location and aggregate_by period.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class AggregateNetworkObjects : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("aggregate_network_objects", "AggregateNetworkObjects", Parse, Schema);

    private AggregateNetworkObjects(JsonObject normalised, TotalNetworkObjects totals, string statistic, string aggregateBy)
        : base(normalised, totals.Unit)
    {
        Totals = totals;
        Statistic = statistic;
        AggregateBy = aggregateBy;
    }

    public TotalNetworkObjects Totals { get; }

    public string Statistic { get; }

    public string AggregateBy { get; }

    public override string QueryKind => "aggregate_network_objects";

    public override string CacheClassName => "AggregateNetworkObjects";

    public override IReadOnlyList<string> Columns => [.. Unit.LocationColumns, "value", "datetime"];

    public override IReadOnlyList<Query> Dependencies => [Totals];

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit, "t");
        var bucket = $"date_trunc({SqlLiteral.Text(Enums.AggregateBy.Single(a => a == AggregateBy))}, t.datetime)";
        return $"SELECT {loc}, {StatisticSql.Aggregate(Statistic, "t.value::float8")}::float8 AS value, {bucket} AS datetime " +
               $"FROM ({source.SqlFor(Totals)}) t GROUP BY {loc}, {bucket}";
    }

    private static Query? Parse(SpecReader r)
    {
        var totals = r.Query("total_network_objects", QueryCatalog.TotalNetworkObjectsOnly);
        var statistic = r.String("statistic", required: true, Enums.Statistics);
        var aggregateBy = r.String("aggregate_by", required: true, Enums.AggregateBy);
        return r.Ok() ? new AggregateNetworkObjects(r.Normalised, (TotalNetworkObjects)totals!, statistic!, aggregateBy!) : null;
    }

    private static JsonObject Schema() => Kind("aggregate_network_objects",
    [
        ("aggregate_by", Enum(Enums.AggregateBy)),
        DerivedAggregationUnit(),
        ("statistic", Enum(Enums.Statistics)),
        ("total_network_objects", Ref("TotalNetworkObjects")),
    ], "aggregate_by", "statistic", "total_network_objects");
}
