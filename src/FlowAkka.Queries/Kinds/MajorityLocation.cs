// majority_location: per subscriber, the location holding more than half of their location_visits weight;
// with include_unlocatable, subscribers without one are kept with a NULL location.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class MajorityLocation : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("majority_location", "MajorityLocation", Parse, Schema);

    private MajorityLocation(JsonObject normalised, Query weights, bool includeUnlocatable, Sampling? sampling)
        : base(normalised, SpatialUnit.Parse(weights.AggregationUnit)!)
    {
        Weights = weights;
        IncludeUnlocatable = includeUnlocatable;
        Sampling = sampling;
    }

    public Query Weights { get; }

    public bool IncludeUnlocatable { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "majority_location";

    public override string CacheClassName => IncludeUnlocatable ? "MajorityLocationWithUnlocatable" : "MajorityLocation";

    public override IReadOnlyList<Query> Dependencies => [Weights];

    public override string BuildSql(ISqlSource source)
    {
        var weights = source.SqlFor(Weights);
        var loc = EventsSql.Columns(Unit, "w");
        // Negative weights are ignored, so at most one location can pass the strict majority.
        var majority = $"SELECT w.subscriber, {loc} FROM (SELECT subscriber, sum(value) AS total FROM ({weights}) t " +
                       $"WHERE value >= 0 GROUP BY subscriber) s JOIN ({weights}) w ON w.subscriber = s.subscriber " +
                       "WHERE w.value > s.total / 2.0";
        var sql = IncludeUnlocatable
            ? $"SELECT a.subscriber, {EventsSql.Columns(Unit, "m")} FROM ({majority}) m " +
              $"RIGHT JOIN (SELECT DISTINCT subscriber FROM ({weights}) t) a ON a.subscriber = m.subscriber"
            : majority;
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var weights = r.Query("subscriber_location_weights", QueryCatalog.WeightedLocationQueries);
        var include = r.Boolean("include_unlocatable", required: false, defaultValue: false);
        var sampling = r.Sampling();
        return r.Ok() ? new MajorityLocation(r.Normalised, weights!, include!.Value, sampling) : null;
    }

    private static JsonObject Schema() => Kind("majority_location",
    [
        ("include_unlocatable", new JsonObject { ["default"] = false, ["type"] = "boolean" }),
        ("sampling", Sampling()),
        ("subscriber_location_weights", Ref("WeightedLocationQueries")),
    ], "subscriber_location_weights");
}
