// total_network_objects: distinct active cells per location and period (date_trunc of total_by).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class TotalNetworkObjects : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("total_network_objects", "TotalNetworkObjects", Parse, Schema);

    private TotalNetworkObjects(JsonObject normalised, SpatialUnit unit, EventWindow window, string totalBy)
        : base(normalised, unit)
    {
        Window = window;
        TotalBy = totalBy;
    }

    public EventWindow Window { get; }

    public string TotalBy { get; }

    public override string QueryKind => "total_network_objects";

    public override string CacheClassName => "TotalNetworkObjects";

    public override IReadOnlyList<string> Columns => [.. Unit.LocationColumns, "value", "datetime"];

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit, "l");
        var bucket = $"date_trunc({SqlLiteral.Text(Enums.TotalBy.Single(t => t == TotalBy))}, l.datetime)";
        return $"SELECT {loc}, count(DISTINCT l.location_id) AS value, {bucket} AS datetime " +
               $"FROM ({EventsSql.Located(Window, Unit, source)}) l GROUP BY {loc}, {bucket}";
    }

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        var totalBy = r.String("total_by", required: false, Enums.TotalBy, defaultValue: "day");
        return r.Ok() ? new TotalNetworkObjects(r.Normalised, unit!, window!, totalBy!) : null;
    }

    private static JsonObject Schema() => MostFrequentLocation.WindowedSchema("total_network_objects", withSampling: false,
        [], ("total_by", Enum(Enums.TotalBy, defaultValue: "day")));
}
