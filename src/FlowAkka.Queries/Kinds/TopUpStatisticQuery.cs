// What topup_amount and topup_balance share: per subscriber, a statistic of one column of their top-ups.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public abstract class TopUpStatisticQuery : SubscriberMetricQuery
{
    protected TopUpStatisticQuery(JsonObject normalised, EventWindow window, string statistic, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Statistic = statistic;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Statistic { get; }

    public Sampling? Sampling { get; }

    /// <summary>The events.topups column the statistic is taken of.</summary>
    protected abstract string Column { get; }

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        SamplingSql.Apply(
            $"SELECT msisdn AS subscriber, {StatisticSql.Aggregate(Statistic, $"{Column}::float8")}::float8 AS value " +
            $"FROM events.topups WHERE {EventsSql.Filter(Window, source)} GROUP BY msisdn", Sampling);

    protected static JsonObject Schema(string kind) =>
        Metrics.Schema(kind, true, false, true, ["statistic"], ("statistic", Enum(Enums.Statistics)));

    /// <summary>Reads the shared fields and builds the kind with <paramref name="create"/>.</summary>
    protected static Query? Parse(SpecReader r, Func<JsonObject, EventWindow, string, Sampling?, Query> create)
    {
        var window = r.EventWindow(withEventTypes: false);
        var statistic = r.String("statistic", required: true, Enums.Statistics);
        var sampling = r.Sampling();
        return r.Ok() ? create(r.Normalised, window!, statistic!, sampling) : null;
    }
}
