// mobility_classification: labels each subscriber of the last period as unlocatable, sometimes_inactive,
// sometimes_unlocatable, highly_mobile (longest stay shorter than stay_length_threshold periods) or stable.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class MobilityClassification : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("mobility_classification", "MobilityClassification", Parse, Schema);

    private MobilityClassification(JsonObject normalised, IReadOnlyList<Query> locations, long threshold, Sampling? sampling)
        : base(normalised)
    {
        Locations = locations;
        StayLengthThreshold = threshold;
        Sampling = sampling;
        Unit = SpatialUnit.Parse(locations[0].AggregationUnit)!;
    }

    public IReadOnlyList<Query> Locations { get; }

    public long StayLengthThreshold { get; }

    public Sampling? Sampling { get; }

    public SpatialUnit Unit { get; }

    public override string QueryKind => "mobility_classification";

    public override string CacheClassName => "MobilityClassification";

    public override IReadOnlyList<Query> Dependencies => Locations;

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit);
        var coalesced = $"coalesce({loc})";
        var n = SqlLiteral.Integer(Locations.Count);
        var union = string.Join(" UNION ALL ", Locations.Select((q, i) =>
            $"SELECT subscriber, {loc}, {SqlLiteral.Integer(i)} AS ordinal FROM ({source.SqlFor(q)}) p{i}"));
        var activity = $"SELECT subscriber, count(*) < {n} AS sometimes_inactive, count({coalesced}) < {n} AS sometimes_unlocatable " +
                       $"FROM ({union}) u GROUP BY subscriber";
        // Gaps and islands: consecutive periods at the same location form one stay.
        var mobility = "SELECT subscriber, max(stay_length) AS longest_stay FROM (SELECT subscriber, count(*) AS stay_length FROM (" +
                       $"SELECT subscriber, {loc}, ordinal - dense_rank() OVER (PARTITION BY subscriber, {loc} ORDER BY ordinal) AS stay_id " +
                       $"FROM ({union}) u) s GROUP BY subscriber, {loc}, stay_id) stays GROUP BY subscriber";
        var sql = $"SELECT subscriber, CASE WHEN coalesce({EventsSql.Columns(Unit, "recent")}) IS NULL THEN 'unlocatable' " +
                  "WHEN sometimes_inactive THEN 'sometimes_inactive' WHEN sometimes_unlocatable THEN 'sometimes_unlocatable' " +
                  $"WHEN longest_stay < {SqlLiteral.Integer(StayLengthThreshold)} THEN 'highly_mobile' ELSE 'stable' END AS value " +
                  $"FROM ({source.SqlFor(Locations[^1])}) recent LEFT JOIN ({activity}) activity USING (subscriber) " +
                  $"LEFT JOIN ({mobility}) mobility USING (subscriber)";
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var locations = r.QueryList("locations", QueryCatalog.CoalescedLocationOnly);
        var threshold = r.Integer("stay_length_threshold", required: true);
        var sampling = r.Sampling();
        if (locations is not null && locations.Select(l => l.AggregationUnit).Distinct().Count() > 1)
        {
            r.AddError("locations", "All locations must have the same aggregation unit");
        }

        return r.Ok() ? new MobilityClassification(r.Normalised, locations!, threshold!.Value, sampling) : null;
    }

    private static JsonObject Schema() => Kind("mobility_classification",
    [
        ("locations", ArrayOf("CoalescedLocation", 1)),
        ("sampling", Sampling()),
        ("stay_length_threshold", Integer()),
    ], "stay_length_threshold");
}
