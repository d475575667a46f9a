// subscriber_degree: per subscriber, the number of distinct counterparts (calls and sms), by direction.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class SubscriberDegree : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("subscriber_degree", "SubscriberDegree", Parse,
        () => Metrics.Schema("subscriber_degree", true, true, true, [], ("direction", Enum(Enums.Direction, defaultValue: "both"))));

    private SubscriberDegree(JsonObject normalised, EventWindow window, string direction, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Direction = direction;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Direction { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "subscriber_degree";

    public override string CacheClassName => "SubscriberDegree";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) => SamplingSql.Apply(
        $"SELECT e.subscriber, count(DISTINCT e.msisdn_counterpart) AS value FROM ({EventsSql.Union(Window, source)}) e " +
        $"WHERE e.msisdn_counterpart IS NOT NULL AND {DirectionSql.Condition(Direction, "e.outgoing")} GROUP BY e.subscriber",
        Sampling);

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var direction = r.String("direction", required: false, Enums.Direction, defaultValue: "both");
        var sampling = r.Sampling();
        return r.Ok() ? new SubscriberDegree(r.Normalised, window!, direction!, sampling) : null;
    }
}
