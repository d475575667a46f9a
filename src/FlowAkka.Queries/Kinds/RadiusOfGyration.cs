// radius_of_gyration: per subscriber, RMS distance (km) of event cell locations from their centroid.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class RadiusOfGyration : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("radius_of_gyration", "RadiusOfGyration", Parse,
        () => Metrics.Schema("radius_of_gyration", true, true, true, []));

    private RadiusOfGyration(JsonObject normalised, EventWindow window, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "radius_of_gyration";

    public override string CacheClassName => "RadiusOfGyration";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        var located = EventsSql.Located(Window, SpatialUnit.Parse("lon-lat")!, source);
        var sql = "SELECT t.subscriber, sqrt(avg(power(ST_Distance(t.geom_point::geography, " +
                  "ST_SetSRID(ST_MakePoint(t.cx, t.cy), 4326)::geography), 2))) / 1000.0 AS value FROM " +
                  "(SELECT l.subscriber, l.geom_point, avg(l.lon) OVER (PARTITION BY l.subscriber) AS cx, " +
                  $"avg(l.lat) OVER (PARTITION BY l.subscriber) AS cy FROM ({located}) l) t GROUP BY t.subscriber";
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var sampling = r.Sampling();
        return r.Ok() ? new RadiusOfGyration(r.Normalised, window!, sampling) : null;
    }
}
