// pareto_interactions: per subscriber, the share of contacts that make up `proportion` of their interactions.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class ParetoInteractions : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("pareto_interactions", "ParetoInteractions", Parse,
        () => Metrics.Schema("pareto_interactions", true, true, true, ["proportion"], ("proportion", Number(0.0, 1.0))));

    private ParetoInteractions(JsonObject normalised, EventWindow window, double proportion, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Proportion = proportion;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public double Proportion { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "pareto_interactions";

    public override string CacheClassName => "ParetoInteractions";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        const string order = "ORDER BY x.n DESC, x.msisdn_counterpart";
        var ranked = "SELECT x.subscriber, row_number() OVER (PARTITION BY x.subscriber " + order + ") AS rank, " +
                     "sum(x.n) OVER (PARTITION BY x.subscriber " + order + " ROWS UNBOUNDED PRECEDING) AS cumulative, " +
                     "sum(x.n) OVER (PARTITION BY x.subscriber) AS total, count(*) OVER (PARTITION BY x.subscriber) AS contacts " +
                     "FROM (SELECT e.subscriber, e.msisdn_counterpart, count(*) AS n " +
                     $"FROM ({EventsSql.Union(Window, source)}) e WHERE e.msisdn_counterpart IS NOT NULL " +
                     "GROUP BY e.subscriber, e.msisdn_counterpart) x";
        return SamplingSql.Apply(
            $"SELECT c.subscriber, min(c.rank)::float8 / max(c.contacts) AS value FROM ({ranked}) c " +
            $"WHERE c.cumulative >= {SqlLiteral.Number(Proportion)} * c.total GROUP BY c.subscriber", Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow();
        var proportion = r.Number("proportion", required: true, min: 0.0, max: 1.0);
        var sampling = r.Sampling();
        return r.Ok() ? new ParetoInteractions(r.Normalised, window!, proportion!.Value, sampling) : null;
    }
}
