// active_at_reference_location_counts: per reference location, subscribers also seen there in unique_locations (redacted).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class ActiveAtReferenceLocationCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition =
        new("active_at_reference_location_counts", "ActiveAtReferenceLocationCounts", Parse, Schema);

    private ActiveAtReferenceLocationCounts(JsonObject normalised, Query uniqueLocations, Query referenceLocations)
        : base(normalised, SpatialUnit.Parse(uniqueLocations.AggregationUnit)!)
    {
        UniqueLocations = uniqueLocations;
        ReferenceLocations = referenceLocations;
    }

    public Query UniqueLocations { get; }

    public Query ReferenceLocations { get; }

    public override string QueryKind => "active_at_reference_location_counts";

    public override string CacheClassName => "RedactedActiveAtReferenceLocationCounts";

    public override IReadOnlyList<Query> Dependencies => [UniqueLocations, ReferenceLocations];

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "r")}, count(*) AS value FROM ({source.SqlFor(ReferenceLocations)}) r " +
        $"WHERE EXISTS (SELECT 1 FROM ({source.SqlFor(UniqueLocations)}) u WHERE u.subscriber = r.subscriber " +
        $"AND {EventsSql.JoinOn(Unit, "u", "r")}) GROUP BY {EventsSql.Columns(Unit, "r")}");

    private static Query? Parse(SpecReader r)
    {
        var unique = r.Query("unique_locations", QueryCatalog.UniqueLocationsOnly);
        var reference = r.Query("reference_locations", QueryCatalog.ReferenceLocation);
        if (!r.Ok())
        {
            return null;
        }

        if (unique!.AggregationUnit != reference!.AggregationUnit)
        {
            r.SchemaError("'unique_locations' and 'reference_locations' parameters must have the same aggregation unit");
            return null;
        }

        return new ActiveAtReferenceLocationCounts(r.Normalised, unique, reference);
    }

    private static JsonObject Schema() => Kind("active_at_reference_location_counts",
    [
        DerivedAggregationUnit(),
        ("reference_locations", Ref("ReferenceLocation")),
        ("unique_locations", Ref("UniqueLocations")),
    ], "reference_locations", "unique_locations");
}
