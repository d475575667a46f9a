// location_visits: per subscriber and location, the number of the given daily / modal locations that put the
// subscriber there (FlowKit's LocationVisits over DayTrajectories); the weights of majority_location.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class LocationVisits : Query
{
    public static readonly KindDefinition Definition = new("location_visits", "LocationVisits", Parse, Schema);

    private LocationVisits(JsonObject normalised, SpatialUnit unit, IReadOnlyList<Query> locations)
        : base(normalised)
    {
        Unit = unit;
        Locations = locations;
    }

    public SpatialUnit Unit { get; }

    public IReadOnlyList<Query> Locations { get; }

    public override string QueryKind => "location_visits";

    public override string CacheClassName => "LocationVisits";

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<string> Columns => ["subscriber", .. Unit.LocationColumns, "value"];

    public override IReadOnlyList<Query> Dependencies => Locations;

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit);
        var days = string.Join(" UNION ALL ", Locations.Select((q, i) => $"SELECT subscriber, {loc} FROM ({source.SqlFor(q)}) d{i}"));
        return $"SELECT t.subscriber, {EventsSql.Columns(Unit, "t")}, count(*) AS value FROM ({days}) t " +
               $"GROUP BY t.subscriber, {EventsSql.Columns(Unit, "t")}";
    }

    private static Query? Parse(SpecReader r)
    {
        var locations = r.QueryList("locations", QueryCatalog.VisitableLocation);
        if (locations is not null && locations.Select(l => l.AggregationUnit).Distinct().Count() > 1)
        {
            r.AddError("locations", "All locations must have the same aggregation unit");
        }

        return r.Ok() ? new LocationVisits(r.Normalised, SpatialUnit.Parse(locations![0].AggregationUnit)!, locations) : null;
    }

    private static JsonObject Schema() => Kind("location_visits",
    [
        DerivedAggregationUnit(),
        ("locations", new JsonObject { ["items"] = Ref("VisitableLocation"), ["type"] = "array" }),
    ], "locations");
}
