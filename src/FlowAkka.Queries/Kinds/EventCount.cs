// event_count: per subscriber, the number of events, by direction.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class EventCount : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("event_count", "EventCount", Parse,
        () => Metrics.Schema("event_count", true, true, true, [], ("direction", Enum(Enums.Direction, defaultValue: "both"))));

    private EventCount(JsonObject normalised, EventWindow window, string direction, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Direction = direction;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Direction { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "event_count";

    public override string CacheClassName => "EventCount";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) => SamplingSql.Apply(
        $"SELECT e.subscriber, count(*) AS value FROM ({EventsSql.Union(Window, source)}) e " +
        $"{DirectionSql.Where(Direction, "e.outgoing")} GROUP BY e.subscriber", Sampling);

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var direction = r.String("direction", required: false, Enums.Direction, defaultValue: "both");
        var sampling = r.Sampling();
        return r.Ok() ? new EventCount(r.Normalised, window!, direction!, sampling) : null;
    }
}
