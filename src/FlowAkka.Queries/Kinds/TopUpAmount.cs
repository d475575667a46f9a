// topup_amount: per subscriber, a statistic of the recharge amounts of their top-ups.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class TopUpAmount : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("topup_amount", "TopUpAmount", Parse,
        () => Metrics.Schema("topup_amount", true, false, true, ["statistic"], ("statistic", Enum(Enums.Statistics))));

    private TopUpAmount(JsonObject normalised, EventWindow window, string statistic, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Statistic = statistic;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Statistic { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "topup_amount";

    public override string CacheClassName => "TopUpAmount";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    internal static string TopUpStatistic(EventWindow window, string statistic, string column, Sampling? sampling, ISqlSource source) =>
        SamplingSql.Apply(
            $"SELECT msisdn AS subscriber, {StatisticSql.Aggregate(statistic, $"{column}::float8")}::float8 AS value " +
            $"FROM events.topups WHERE {EventsSql.Filter(window, source)} GROUP BY msisdn", sampling);

    public override string BuildSql(ISqlSource source) =>
        TopUpStatistic(Window, Statistic, "recharge_amount", Sampling, source);

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow(withEventTypes: false);
        var statistic = r.String("statistic", required: true, Enums.Statistics);
        var sampling = r.Sampling();
        return r.Ok() ? new TopUpAmount(r.Normalised, window!, statistic!, sampling) : null;
    }
}
