// location_introversion: per location, the share of interactions whose counterpart is in the same location.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class LocationIntroversion : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("location_introversion", "LocationIntroversion", Parse, Schema);

    private LocationIntroversion(JsonObject normalised, SpatialUnit unit, EventWindow window, string direction)
        : base(normalised, unit)
    {
        Window = window;
        Direction = direction;
    }

    public EventWindow Window { get; }

    public string Direction { get; }

    public override string QueryKind => "location_introversion";

    public override string CacheClassName => "LocationIntroversion";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        // Both legs of one interaction share the event id and table but differ in direction.
        var located = EventsSql.Located(Window, Unit, source);
        var same = string.Join(" AND ", Unit.LocationColumns.Select(c => $"a.{c} = b.{c}"));
        return $"SELECT {EventsSql.Columns(Unit, "a")}, avg(CASE WHEN {same} THEN 1.0 ELSE 0.0 END)::float8 AS value " +
               $"FROM ({located}) a JOIN ({located}) b ON a.event_type = b.event_type AND a.id = b.id " +
               $"AND a.outgoing <> b.outgoing WHERE {DirectionSql.Condition(Direction, "a.outgoing")} " +
               $"GROUP BY {EventsSql.Columns(Unit, "a")}";
    }

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        var direction = r.String("direction", required: false, Enums.Direction, defaultValue: "both");
        return r.Ok() ? new LocationIntroversion(r.Normalised, unit!, window!, direction!) : null;
    }

    private static JsonObject Schema() => MostFrequentLocation.WindowedSchema("location_introversion", withSampling: false,
        [], ("direction", Enum(Enums.Direction, defaultValue: "both")));
}
