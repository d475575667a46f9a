// coalesced_location: the preferred majority location, else the fallback majority location when the subscriber
// visited it at least weight_threshold times (FlowKit's CoalescedLocation over a FilteredReferenceLocation).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class CoalescedLocation : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("coalesced_location", "CoalescedLocation", Parse, Schema);

    private CoalescedLocation(JsonObject normalised, Query preferred, Query fallback, Query weights, long threshold, Sampling? sampling)
        : base(normalised, SpatialUnit.Parse(preferred.AggregationUnit)!)
    {
        Preferred = preferred;
        Fallback = fallback;
        Weights = weights;
        WeightThreshold = threshold;
        Sampling = sampling;
    }

    public Query Preferred { get; }

    public Query Fallback { get; }

    public Query Weights { get; }

    public long WeightThreshold { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "coalesced_location";

    public override string CacheClassName => "CoalescedLocation";

    public override IReadOnlyList<Query> Dependencies => [Preferred, Fallback, Weights];

    public override string BuildSql(ISqlSource source)
    {
        var filtered = $"SELECT f.subscriber, {EventsSql.Columns(Unit, "f")} FROM ({source.SqlFor(Fallback)}) f " +
                       $"JOIN ({source.SqlFor(Weights)}) v ON v.subscriber = f.subscriber AND {EventsSql.JoinOn(Unit, "f", "v")} " +
                       $"WHERE v.value >= {SqlLiteral.Integer(WeightThreshold)}";
        var coalesced = string.Join(", ", Unit.LocationColumns.Select(c => $"coalesce(l.{c}, r.{c}) AS {c}"));
        var sql = $"SELECT subscriber, {coalesced} FROM ({source.SqlFor(Preferred)}) l FULL OUTER JOIN ({filtered}) r USING (subscriber)";
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var preferred = r.Query("preferred_location", QueryCatalog.MajorityLocationOnly);
        var fallback = r.Query("fallback_location", QueryCatalog.MajorityLocationOnly);
        var weights = r.Query("subscriber_location_weights", QueryCatalog.LocationVisitsOnly);
        var threshold = r.Integer("weight_threshold", required: true);
        var sampling = r.Sampling();
        if (preferred is not null && fallback is not null && fallback.AggregationUnit != preferred.AggregationUnit)
        {
            r.AddError("fallback_location", "fallback_location must have the same aggregation_unit as preferred_location");
        }

        if (fallback is not null && weights is not null && weights.AggregationUnit != fallback.AggregationUnit)
        {
            r.AddError("subscriber_location_weights", "subscriber_location_weights must have the same aggregation_unit as fallback_location");
        }

        return r.Ok() ? new CoalescedLocation(r.Normalised, preferred!, fallback!, weights!, threshold!.Value, sampling) : null;
    }

    private static JsonObject Schema() => Kind("coalesced_location",
    [
        ("fallback_location", Ref("MajorityLocation")),
        ("preferred_location", Ref("MajorityLocation")),
        ("sampling", Sampling()),
        ("subscriber_location_weights", Ref("LocationVisits")),
        ("weight_threshold", Integer()),
    ], "preferred_location", "fallback_location", "subscriber_location_weights", "weight_threshold");
}
