// topup_balance: per subscriber, a statistic of the balance after each top-up.
namespace FlowAkka.Queries.Kinds;

public sealed class TopUpBalance : TopUpStatisticQuery
{
    public static readonly KindDefinition Definition = new("topup_balance", "TopUpBalance",
        r => Parse(r, (n, w, s, sampling) => new TopUpBalance(n, w, s, sampling)), () => Schema("topup_balance"));

    private TopUpBalance(System.Text.Json.Nodes.JsonObject normalised, Fields.EventWindow window, string statistic, Fields.Sampling? sampling)
        : base(normalised, window, statistic, sampling) { }

    public override string QueryKind => "topup_balance";

    public override string CacheClassName => "TopUpBalance";

    protected override string Column => "post_event_balance";
}
