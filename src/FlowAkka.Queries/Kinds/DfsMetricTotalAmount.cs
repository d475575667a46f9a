// dfs_metric_total_amount: per day and admin unit, the total of one mobile-money metric (amount, commission, fee
// or discount) of dfs.transactions routed through the unit's cells; end_date is inclusive, as in FlowKit.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class DfsMetricTotalAmount : Query
{
    public static readonly KindDefinition Definition = new("dfs_metric_total_amount", "DFSTotalMetricAmount", Parse, Schema);

    public static readonly IReadOnlyList<string> Metrics = ["amount", "commission", "fee", "discount"];

    private DfsMetricTotalAmount(JsonObject normalised, string metric, DateTime start, DateTime end, SpatialUnit unit)
        : base(normalised)
    {
        Metric = metric;
        Start = start;
        End = end;
        Unit = unit;
    }

    public string Metric { get; }

    public DateTime Start { get; }

    public DateTime End { get; }

    public SpatialUnit Unit { get; }

    public override string QueryKind => "dfs_metric_total_amount";

    public override string CacheClassName => "DFSTotalAmountForMetric";

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<string> Columns => ["date", "pcod", "value"];

    public override string BuildSql(ISqlSource source)
    {
        var column = Metric switch
        {
            "amount" => "amount",
            "commission" => "commission",
            "fee" => "fee",
            "discount" => "discount",
            _ => throw new InvalidOperationException("Unknown DFS metric."),
        };
        var n = SqlLiteral.Integer(Unit.AdminLevel!.Value);
        return $"SELECT t.timestamp::date AS date, c.pcod, sum(t.{column}) AS value FROM dfs.transactions t " +
               "JOIN dfs.transactions_metadata m ON m.transaction_id = t.id " +
               $"JOIN (SELECT c.id, c.version, a.admin{n}pcod AS pcod FROM infrastructure.cells c " +
               $"JOIN geography.admin{n} a ON ST_Within(c.geom_point, a.geom)) c ON c.id = m.cell_id AND c.version = m.cell_version " +
               $"WHERE t.timestamp >= {SqlLiteral.Timestamp(Start.Date)} AND t.timestamp < {SqlLiteral.Timestamp(End.Date.AddDays(1))} " +
               "GROUP BY t.timestamp::date, c.pcod";
    }

    private static Query? Parse(SpecReader r)
    {
        var metric = r.String("metric", required: true, Metrics);
        var start = r.Date("start_date");
        var end = r.Date("end_date");
        var unit = r.AggregationUnit();
        if (unit is { IsLonLat: true })
        {
            // FlowKit's SQL reads geography.<unit>pcod, which lon-lat does not have.
            r.AddError("aggregation_unit", "DFS totals are aggregated to admin units: use admin0, admin1, admin2 or admin3.");
        }

        return r.Ok() ? new DfsMetricTotalAmount(r.Normalised, metric!, start!.Value, end!.Value, unit!) : null;
    }

    private static JsonObject Schema() => Kind("dfs_metric_total_amount",
    [
        .. AggregationUnit(),
        ("end_date", DateTime()),
        ("metric", Enum(Metrics)),
        ("start_date", DateTime()),
    ], "aggregation_unit", "end_date", "metric", "start_date");
}
