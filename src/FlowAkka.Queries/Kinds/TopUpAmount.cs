// topup_amount: per subscriber, a statistic of the recharge amounts of their top-ups.
namespace FlowAkka.Queries.Kinds;

public sealed class TopUpAmount : TopUpStatisticQuery
{
    public static readonly KindDefinition Definition = new("topup_amount", "TopUpAmount",
        r => Parse(r, (n, w, s, sampling) => new TopUpAmount(n, w, s, sampling)), () => Schema("topup_amount"));

    private TopUpAmount(System.Text.Json.Nodes.JsonObject normalised, Fields.EventWindow window, string statistic, Fields.Sampling? sampling)
        : base(normalised, window, statistic, sampling) { }

    public override string QueryKind => "topup_amount";

    public override string CacheClassName => "TopUpAmount";

    protected override string Column => "recharge_amount";
}
