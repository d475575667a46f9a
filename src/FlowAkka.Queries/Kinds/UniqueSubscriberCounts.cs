// unique_subscriber_counts: distinct subscribers seen per location in the period, redacted.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class UniqueSubscriberCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("unique_subscriber_counts", "UniqueSubscriberCounts", Parse,
        () => MostFrequentLocation.WindowedSchema("unique_subscriber_counts", withSampling: false, []));

    private UniqueSubscriberCounts(JsonObject normalised, SpatialUnit unit, EventWindow window)
        : base(normalised, unit)
    {
        Window = window;
    }

    public EventWindow Window { get; }

    public override string QueryKind => "unique_subscriber_counts";

    public override string CacheClassName => "RedactedUniqueSubscriberCounts";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(
        $"SELECT {EventsSql.Columns(Unit, "l")}, count(DISTINCT l.subscriber) AS value " +
        $"FROM ({EventsSql.Located(Window, Unit, source)}) l GROUP BY {EventsSql.Columns(Unit, "l")}");

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        return r.Ok() ? new UniqueSubscriberCounts(r.Normalised, unit!, window!) : null;
    }
}
