// topup_balance: per subscriber, a statistic of the balance after each top-up.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class TopUpBalance : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("topup_balance", "TopUpBalance", Parse,
        () => Metrics.Schema("topup_balance", true, false, true, ["statistic"], ("statistic", Enum(Enums.Statistics))));

    private TopUpBalance(JsonObject normalised, EventWindow window, string statistic, Sampling? sampling)
        : base(normalised)
    {
        Window = window;
        Statistic = statistic;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Statistic { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "topup_balance";

    public override string CacheClassName => "TopUpBalance";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        TopUpAmount.TopUpStatistic(Window, Statistic, "post_event_balance", Sampling, source);

    private static Query? Parse(SpecReader r)
    {
        var window = r.EventWindow(withEventTypes: false);
        var statistic = r.String("statistic", required: true, Enums.Statistics);
        var sampling = r.Sampling();
        return r.Ok() ? new TopUpBalance(r.Normalised, window!, statistic!, sampling) : null;
    }
}
