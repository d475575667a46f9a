// histogram_aggregate: a histogram of a per-subscriber metric (like numpy.histogram); non-spatial.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class HistogramAggregate : Query
{
    public static readonly KindDefinition Definition = new("histogram_aggregate", "HistogramAggregate", Parse, Schema);

    private HistogramAggregate(JsonObject normalised, Query metric, long? bins, IReadOnlyList<double>? edges,
        (double Lower, double Upper)? range)
        : base(normalised)
    {
        Metric = metric;
        Bins = bins;
        Edges = edges;
        Range = range;
    }

    public Query Metric { get; }

    public long? Bins { get; }

    public IReadOnlyList<double>? Edges { get; }

    public (double Lower, double Upper)? Range { get; }

    public override string QueryKind => "histogram_aggregate";

    public override string? AggregationUnit => null;

    public override string CacheClassName => "HistogramAggregation";

    public override IReadOnlyList<string> Columns => ["value", "lower_edge", "upper_edge"];

    public override IReadOnlyList<Query> Dependencies => [Metric];

    public override string BuildSql(ISqlSource source)
    {
        var values = $"SELECT x.value::float8 AS v FROM ({source.SqlFor(Metric)}) x WHERE x.value IS NOT NULL";
        string edges;
        string last;
        if (Edges is { } list)
        {
            var rows = string.Join(", ", Enumerable.Range(0, list.Count - 1).Select(i =>
                $"({SqlLiteral.Integer(i)}, {SqlLiteral.Number(list[i])}, {SqlLiteral.Number(list[i + 1])})"));
            edges = $"SELECT * FROM (VALUES {rows}) e(i, lower_edge, upper_edge)";
            last = SqlLiteral.Integer(list.Count - 2);
        }
        else
        {
            var n = SqlLiteral.Integer(Bins!.Value);
            var bounds = Range is { } rg
                ? $"SELECT {SqlLiteral.Number(rg.Lower)} AS lo, {SqlLiteral.Number(rg.Upper)} AS hi"
                : "SELECT min(v) AS lo, max(v) AS hi FROM vals";
            // numpy widens an empty range by 0.5 on each side.
            var widened = "SELECT CASE WHEN b0.lo = b0.hi THEN b0.lo - 0.5 ELSE b0.lo END AS lo, " +
                          $"CASE WHEN b0.lo = b0.hi THEN b0.hi + 0.5 ELSE b0.hi END AS hi FROM ({bounds}) b0";
            edges = $"SELECT i, b.lo + (b.hi - b.lo) * i / {n} AS lower_edge, b.lo + (b.hi - b.lo) * (i + 1) / {n} AS upper_edge " +
                    $"FROM ({widened}) b, generate_series(0, {n} - 1) i WHERE b.lo IS NOT NULL";
            last = $"{n} - 1";
        }

        return $"WITH vals AS ({values}), edges AS ({edges}) SELECT (SELECT count(*) FROM vals WHERE vals.v >= edges.lower_edge " +
               $"AND (vals.v < edges.upper_edge OR (edges.i = {last} AND vals.v <= edges.upper_edge))) AS value, " +
               "edges.lower_edge::float8 AS lower_edge, edges.upper_edge::float8 AS upper_edge FROM edges";
    }

    public override string? BuildGeoJsonSql(string resultTableSql) => null;

    private sealed record BinsSpec(long? N, IReadOnlyList<double>? List);

    private static Query? Parse(SpecReader r)
    {
        var metric = r.Query("metric", QueryCatalog.HistogrammableMetrics);
        var bins = r.Object("bins", required: true, allowNull: false, b =>
        {
            b.Raw("n_bins", out var hasN);
            b.Raw("bin_list", out var hasList);
            var n = hasN ? b.Integer("n_bins", required: false, min: 1, max: 10000) : null;
            var list = hasList ? b.NumberList("bin_list", required: false) : null;
            if (b.HasErrors)
            {
                return null;
            }

            if (hasN && hasList)
            {
                b.SchemaError("Only one of n_bins or bin_list may be provided.");
                return null;
            }

            if (!hasN && !hasList)
            {
                b.SchemaError("One of n_bins or bin_list must be provided.");
                return null;
            }

            if (list is not null && (list.Count < 2 || list.Zip(list.Skip(1)).Any(p => p.First >= p.Second)))
            {
                b.SchemaError("bin_list must hold at least two increasing bin edges.");
                return null;
            }

            return new BinsSpec(n, list);
        });
        var range = r.Object("range", required: false, allowNull: false, b =>
        {
            var lower = b.Number("lower_bound", required: true);
            var upper = b.Number("upper_bound", required: true);
            if (lower is null || upper is null)
            {
                return null;
            }

            if (lower >= upper)
            {
                b.SchemaError("lower_bound should be less than upper_bound");
                return null;
            }

            return new Tuple<double, double>(lower.Value, upper.Value);
        });
        if (range is null)
        {
            r.Normalised.Remove("range");
            r.Normalised["range"] = null;
        }

        return r.Ok()
            ? new HistogramAggregate(r.Normalised, metric!, bins!.N, bins.List, range is null ? null : (range.Item1, range.Item2))
            : null;
    }

    private static JsonObject Schema() => Kind("histogram_aggregate",
    [
        ("bins", Ref("HistogramBins")),
        ("metric", Ref("HistogrammableMetrics")),
        ("range", Ref("Bounds")),
    ], "bins", "metric");
}
