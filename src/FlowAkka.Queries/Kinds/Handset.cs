// handset: per subscriber, a characteristic (brand, model, ...) of the handset of their last or most common TAC.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class Handset : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("handset", "Handset", Parse,
        () => Metrics.Schema("handset", true, true, true, ["characteristic", "method"],
            ("characteristic", Enum(Enums.HandsetCharacteristics)), ("method", Enum(Enums.LocationMethod))));

    private Handset(JsonObject normalised, EventWindow window, string characteristic, string method, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Characteristic = characteristic;
        Method = method;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Characteristic { get; }

    public string Method { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "handset";

    public override string CacheClassName => "SubscriberHandsetCharacteristic";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        var column = Enums.HandsetCharacteristics.Single(c => c == Characteristic);
        var events = $"SELECT e.subscriber, e.datetime, t.{column} AS value FROM ({EventsSql.Union(Window, source)}) e " +
                     "JOIN infrastructure.tacs t ON t.id = e.tac";
        var sql = Method == "last"
            ? $"SELECT DISTINCT ON (h.subscriber) h.subscriber, h.value FROM ({events}) h ORDER BY h.subscriber, h.datetime DESC, h.value"
            : "SELECT DISTINCT ON (c.subscriber) c.subscriber, c.value FROM (SELECT h.subscriber, h.value, count(*) AS n, " +
              $"max(h.datetime) AS latest FROM ({events}) h GROUP BY h.subscriber, h.value) c " +
              "ORDER BY c.subscriber, c.n DESC, c.latest DESC, c.value";
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var characteristic = r.String("characteristic", required: true, Enums.HandsetCharacteristics);
        var method = r.String("method", required: true, Enums.LocationMethod);
        var sampling = r.Sampling();
        return r.Ok() ? new Handset(r.Normalised, window!, characteristic!, method!, sampling) : null;
    }
}
