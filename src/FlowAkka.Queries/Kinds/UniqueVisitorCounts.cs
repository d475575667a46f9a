// unique_visitor_counts: unique subscribers per location minus those active at their reference location there.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class UniqueVisitorCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("unique_visitor_counts", "UniqueVisitorCounts", Parse, Schema);

    private UniqueVisitorCounts(JsonObject normalised, Query active, Query unique)
        : base(normalised, SpatialUnit.Parse(unique.AggregationUnit)!)
    {
        Active = active;
        Unique = unique;
    }

    public Query Active { get; }

    public Query Unique { get; }

    public override string QueryKind => "unique_visitor_counts";

    public override string CacheClassName => "UniqueVisitorCounts";

    public override IReadOnlyList<Query> Dependencies => [Active, Unique];

    // Both parts are already redacted; a location missing from the active counts had 15 or fewer (counted as 0),
    // and the difference is redacted again so that no small count is published.
    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "u")}, (u.value - coalesce(a.value, 0)) AS value " +
        $"FROM ({source.SqlFor(Unique)}) u LEFT JOIN ({source.SqlFor(Active)}) a ON {EventsSql.JoinOn(Unit, "u", "a")}");

    private static Query? Parse(SpecReader r)
    {
        var active = r.Query("active_at_reference_location_counts", QueryCatalog.ActiveAtReferenceLocationCountsOnly);
        var unique = r.Query("unique_subscriber_counts", QueryCatalog.UniqueSubscriberCountsOnly);
        if (!r.Ok())
        {
            return null;
        }

        if (active!.AggregationUnit != unique!.AggregationUnit)
        {
            r.SchemaError("'active_at_reference_location_counts' and 'unique_subscriber_counts' parameters must have the same aggregation unit");
            return null;
        }

        return new UniqueVisitorCounts(r.Normalised, active, unique);
    }

    private static JsonObject Schema() => Kind("unique_visitor_counts",
    [
        ("active_at_reference_location_counts", Ref("ActiveAtReferenceLocationCounts")),
        DerivedAggregationUnit(),
        ("unique_subscriber_counts", Ref("UniqueSubscriberCounts")),
    ], "active_at_reference_location_counts", "unique_subscriber_counts");
}
