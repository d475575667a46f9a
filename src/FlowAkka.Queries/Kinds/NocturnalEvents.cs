// nocturnal_events: per subscriber, the percentage of events within the night hours.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class NocturnalEvents : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("nocturnal_events", "NocturnalEvents", Parse,
        () => Metrics.Schema("nocturnal_events", false, true, true, ["night_hours"], ("night_hours", Ref("Hours"))));

    private NocturnalEvents(JsonObject normalised, EventWindow window, HoursWindow night, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        NightHours = night;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public HoursWindow NightHours { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "nocturnal_events";

    public override string CacheClassName => "NocturnalEvents";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) => SamplingSql.Apply(
        $"SELECT e.subscriber, 100.0 * avg(CASE WHEN {EventsSql.HoursClause(NightHours, "EXTRACT(hour FROM e.datetime)")} " +
        $"THEN 1.0 ELSE 0.0 END)::float8 AS value FROM ({EventsSql.Union(Window, source)}) e GROUP BY e.subscriber", Sampling);

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow(withHours: false);
        var night = r.Hours("night_hours", required: true);
        var sampling = r.Sampling();
        return r.Ok() ? new NocturnalEvents(r.Normalised, window!, night!, sampling) : null;
    }
}
