// trips_od_matrix: subscribers per (origin, destination) of consecutive events, stays included (redacted).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class TripsODMatrix : Query
{
    public static readonly KindDefinition Definition = new("trips_od_matrix", "TripsODMatrix", Parse,
        () => MostFrequentLocation.WindowedSchema("trips_od_matrix", withSampling: false, []));

    private TripsODMatrix(JsonObject normalised, SpatialUnit unit, EventWindow window)
        : base(normalised)
    {
        Unit = unit;
        Window = window;
    }

    public SpatialUnit Unit { get; }

    public EventWindow Window { get; }

    public override string QueryKind => "trips_od_matrix";

    public override string? AggregationUnit => Unit.Name;

    public override string CacheClassName => "RedactedTripsODMatrix";

    public override IReadOnlyList<string> Columns => [.. Unit.SuffixedColumns("from"), .. Unit.SuffixedColumns("to"), "value"];

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        var cols = ConsecutiveTripsODMatrix.OdColumns(Unit, "p");
        return Redaction.KeepAboveThreshold(
            $"SELECT {cols}, count(DISTINCT p.subscriber) AS value " +
            $"FROM ({ConsecutiveTripsODMatrix.Pairs(EventsSql.Located(Window, Unit, source), Unit)}) p " +
            $"WHERE p.n < p.total GROUP BY {cols}");
    }

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        return r.Ok() ? new TripsODMatrix(r.Normalised, unit!, window!) : null;
    }
}
