// displacement: per subscriber, a statistic of the distance (km) of each event's cell from their reference location.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class Displacement : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("displacement", "Displacement", Parse,
        () => Metrics.Schema("displacement", true, true, true, ["statistic", "reference_location"],
            ("statistic", Enum(Enums.Statistics)), ("reference_location", Ref("ReferenceLocation"))));

    private Displacement(JsonObject normalised, EventWindow window, string statistic, Query reference, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Statistic = statistic;
        ReferenceLocation = reference;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Statistic { get; }

    public Query ReferenceLocation { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "displacement";

    public override string CacheClassName => "Displacement";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset, ReferenceLocation);

    /// <summary>(subscriber, ref_point): the lon-lat point, or the centroid of the admin unit.</summary>
    internal static string ReferencePoints(Query reference, ISqlSource source)
    {
        var unit = SpatialUnit.Parse(reference.AggregationUnit)!;
        if (unit.AdminLevel is { } level)
        {
            var n = SqlLiteral.Integer(level);
            return $"SELECT r.subscriber, ST_Centroid(g.geom) AS ref_point FROM ({source.SqlFor(reference)}) r " +
                   $"JOIN geography.admin{n} g ON g.admin{n}pcod = r.pcod";
        }

        return $"SELECT r.subscriber, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) AS ref_point FROM ({source.SqlFor(reference)}) r";
    }

    public override string BuildSql(ISqlSource source)
    {
        var located = EventsSql.Located(Window, SpatialUnit.Parse("lon-lat")!, source);
        var distance = "ST_Distance(l.geom_point::geography, p.ref_point::geography) / 1000.0";
        return SamplingSql.Apply(
            $"SELECT l.subscriber, {StatisticSql.Aggregate(Statistic, distance)}::float8 AS value FROM ({located}) l " +
            $"JOIN ({ReferencePoints(ReferenceLocation, source)}) p ON p.subscriber = l.subscriber GROUP BY l.subscriber",
            Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var statistic = r.String("statistic", required: true, Enums.Statistics);
        var reference = r.Query("reference_location", QueryCatalog.ReferenceLocation);
        var sampling = r.Sampling();
        return r.Ok() ? new Displacement(r.Normalised, window!, statistic!, reference!, sampling) : null;
    }
}
