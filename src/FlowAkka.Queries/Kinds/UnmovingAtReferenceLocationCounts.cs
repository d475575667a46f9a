// unmoving_at_reference_location_counts: per reference location, subscribers seen only there (redacted).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class UnmovingAtReferenceLocationCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition =
        new("unmoving_at_reference_location_counts", "UnmovingAtReferenceLocationCounts", Parse, Schema);

    private UnmovingAtReferenceLocationCounts(JsonObject normalised, Query locations, Query reference)
        : base(normalised, SpatialUnit.Parse(locations.AggregationUnit)!)
    {
        Locations = locations;
        ReferenceLocations = reference;
    }

    public Query Locations { get; }

    public Query ReferenceLocations { get; }

    public override string QueryKind => "unmoving_at_reference_location_counts";

    public override string CacheClassName => "RedactedUnmovingAtReferenceLocationCounts";

    public override IReadOnlyList<Query> Dependencies => [Locations, ReferenceLocations];

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "r")}, count(*) AS value FROM ({source.SqlFor(ReferenceLocations)}) r " +
        $"JOIN ({UnmovingCounts.SingleLocationSubscribers(source.SqlFor(Locations), Unit)}) s " +
        $"ON s.subscriber = r.subscriber AND {EventsSql.JoinOn(Unit, "s", "r")} GROUP BY {EventsSql.Columns(Unit, "r")}");

    private static Query? Parse(SpecReader r)
    {
        var locations = r.Query("locations", QueryCatalog.UniqueLocationsOnly);
        var reference = r.Query("reference_locations", QueryCatalog.ReferenceLocation);
        if (!r.Ok())
        {
            return null;
        }

        if (locations!.AggregationUnit != reference!.AggregationUnit)
        {
            r.SchemaError("'locations' and 'reference_locations' parameters must have the same aggregation unit");
            return null;
        }

        return new UnmovingAtReferenceLocationCounts(r.Normalised, locations, reference);
    }

    private static JsonObject Schema() => Kind("unmoving_at_reference_location_counts",
    [
        DerivedAggregationUnit(),
        ("locations", Ref("UniqueLocations")),
        ("reference_locations", Ref("ReferenceLocation")),
    ], "locations", "reference_locations");
}
