// unmoving_counts: per location, subscribers seen at that one location only (redacted).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class UnmovingCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("unmoving_counts", "UnmovingCounts", Parse, Schema);

    private UnmovingCounts(JsonObject normalised, Query locations)
        : base(normalised, SpatialUnit.Parse(locations.AggregationUnit)!)
    {
        Locations = locations;
    }

    public Query Locations { get; }

    public override string QueryKind => "unmoving_counts";

    public override string CacheClassName => "RedactedUnmovingCounts";

    public override IReadOnlyList<Query> Dependencies => [Locations];

    /// <summary>(subscriber, location) of subscribers with exactly one unique location.</summary>
    internal static string SingleLocationSubscribers(string uniqueLocationsSql, SpatialUnit unit) =>
        $"WITH ul AS ({uniqueLocationsSql}) SELECT ul.* FROM ul WHERE ul.subscriber IN " +
        "(SELECT subscriber FROM ul GROUP BY subscriber HAVING count(*) = 1)";

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "s")}, count(*) AS value FROM ({SingleLocationSubscribers(source.SqlFor(Locations), Unit)}) s " +
        $"GROUP BY {EventsSql.Columns(Unit, "s")}");

    private static Query? Parse(SpecReader r)
    {
        var locations = r.Query("locations", QueryCatalog.UniqueLocationsOnly);
        return r.Ok() ? new UnmovingCounts(r.Normalised, locations!) : null;
    }

    private static JsonObject Schema() => Kind("unmoving_counts",
        [DerivedAggregationUnit(), ("locations", Ref("UniqueLocations"))], "locations");
}
