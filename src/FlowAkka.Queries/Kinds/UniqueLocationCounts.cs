// unique_location_counts: per subscriber, the number of distinct locations visited.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class UniqueLocationCounts : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("unique_location_counts", "UniqueLocationCounts", Parse,
        () => MostFrequentLocation.WindowedSchema("unique_location_counts", withSampling: false, []));

    private UniqueLocationCounts(JsonObject normalised, SpatialUnit unit, EventWindow window)
        : base(normalised)
    {
        Unit = unit;
        Window = window;
    }

    public SpatialUnit Unit { get; }

    public EventWindow Window { get; }

    public override string QueryKind => "unique_location_counts";

    public override string CacheClassName => "UniqueLocationCounts";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        $"SELECT l.subscriber, count(DISTINCT ({EventsSql.Columns(Unit, "l")})) AS value " +
        $"FROM ({EventsSql.Located(Window, Unit, source)}) l GROUP BY l.subscriber";

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        return r.Ok() ? new UniqueLocationCounts(r.Normalised, unit!, window!) : null;
    }
}
