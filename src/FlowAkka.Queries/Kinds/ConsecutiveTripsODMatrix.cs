// consecutive_trips_od_matrix: trips between the locations of consecutive events of a subscriber (moves only),
// counted per (origin, destination); pairs made by 15 or fewer subscribers are dropped.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class ConsecutiveTripsODMatrix : Query
{
    public static readonly KindDefinition Definition = new("consecutive_trips_od_matrix", "ConsecutiveTripsODMatrix", Parse,
        () => MostFrequentLocation.WindowedSchema("consecutive_trips_od_matrix", withSampling: false, []));

    private ConsecutiveTripsODMatrix(JsonObject normalised, SpatialUnit unit, EventWindow window)
        : base(normalised)
    {
        Unit = unit;
        Window = window;
    }

    public SpatialUnit Unit { get; }

    public EventWindow Window { get; }

    public override string QueryKind => "consecutive_trips_od_matrix";

    public override string? AggregationUnit => Unit.Name;

    public override string CacheClassName => "RedactedConsecutiveTripsODMatrix";

    public override IReadOnlyList<string> Columns => [.. Unit.SuffixedColumns("from"), .. Unit.SuffixedColumns("to"), "value"];

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    protected override IReadOnlyList<string> GeoJsonColumns => Columns;

    /// <summary>Consecutive event pairs per subscriber: subscriber, loc_from..., loc_to... (last event has none).</summary>
    internal static string Pairs(string locatedSql, SpatialUnit unit)
    {
        var order = $"l.datetime, {EventsSql.Columns(unit, "l")}";
        var from = EventsSql.ColumnsAs(unit, "l", "from");
        var to = string.Join(", ", unit.LocationColumns.Select(c => $"lead(l.{c}) OVER w AS {c}_to"));
        return $"SELECT l.subscriber, {from}, {to}, row_number() OVER w AS n, count(*) OVER (PARTITION BY l.subscriber) AS total " +
               $"FROM ({locatedSql}) l WINDOW w AS (PARTITION BY l.subscriber ORDER BY {order})";
    }

    internal static string OdColumns(SpatialUnit unit, string alias) =>
        string.Join(", ", unit.SuffixedColumns("from").Concat(unit.SuffixedColumns("to")).Select(c => $"{alias}.{c}"));

    public override string BuildSql(ISqlSource source)
    {
        var moved = string.Join(" OR ", Unit.LocationColumns.Select(c => $"p.{c}_from IS DISTINCT FROM p.{c}_to"));
        var cols = OdColumns(Unit, "p");
        return $"SELECT {cols}, count(*) AS value FROM ({Pairs(EventsSql.Located(Window, Unit, source), Unit)}) p " +
               $"WHERE p.n < p.total AND ({moved}) GROUP BY {cols} HAVING count(DISTINCT p.subscriber) > {Redaction.Threshold}";
    }

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        return r.Ok() ? new ConsecutiveTripsODMatrix(r.Normalised, unit!, window!) : null;
    }
}
