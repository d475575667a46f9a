// Issue #9 row 4 (issue #5's benchmark): run_query → completed of spatial_aggregate(daily_location) over the generated
// dataset, against the same CREATE TABLE AS statements (Query.BuildSql for both) sent straight through Npgsql.
using FlowAkka.Benchmarks.Support;
using FlowAkka.FlowDb.Cache;
using FlowAkka.Queries;

namespace FlowAkka.Benchmarks.Queries;

public sealed class EndToEndBenchmark : IBenchmark
{
    public string Name => "end-to-end";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var db = await SharedDataset.GetAsync(context);
        await db.ClearCacheAsync();
        var prefix = RedisKeys.UniquePrefix(Name);
        var child = Requests.DailyLocation("2016-01-03", "admin3", "last");
        var spec = Requests.SpatialAggregate(child);
        var parentQuery = QueryCatalog.ParseAny(spec).Query!;
        var childQuery = QueryCatalog.ParseAny(child).Query!;
        // Five alternating rounds each; the medians keep one noisy round on the shared cores from deciding the row.
        var rounds = 5;
        var direct = new List<double>();
        var flowAkka = new List<double>();
        try
        {
            await using var nodes = await QueryNodes.StartAsync(1, db.ConnectionString, context.RedisConfiguration, prefix);
            using var client = nodes.Client();
            await db.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS bench_direct");
            // Warm-up of PostgreSQL's buffers and plans (discarded), then alternate so both sides see the same cache state.
            await DirectAsync(db, childQuery, parentQuery);
            for (var r = 0; r < rounds; r++)
            {
                direct.Add(await DirectAsync(db, childQuery, parentQuery));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var id = await client.RunAsync(spec);
                await client.AwaitCompletedAsync(id, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
                flowAkka.Add(clock.Elapsed.TotalMilliseconds);
                // reset of the dependency cascades to its dependant: both run again next round.
                var reset = await client.RequestAsync("reset_query", new System.Text.Json.Nodes.JsonObject { ["query_id"] = childQuery.QueryId });
                if (!reset.IsSuccess) throw new InvalidOperationException($"reset_query failed: {reset}");
            }
        }
        finally
        {
            await db.ExecuteAsync("DROP SCHEMA IF EXISTS bench_direct CASCADE");
            await db.ClearCacheAsync();
            await RedisKeys.DeleteAsync(context.RedisConfiguration, prefix);
        }
        var measured = Median(flowAkka);
        var baseline = Median(direct);
        var ratio = measured / baseline;
        var data = db.Dataset!;
        return
        [
            new BenchmarkRow("end-to-end",
                $"run_query → completed, spatial_aggregate(daily_location admin3), {Measure.Count((long)data.NCalls * data.NDays)} calls, median of {rounds}",
                Measure.Ms(measured), $"same 2 CREATE TABLE AS via Npgsql: {Measure.Ms(baseline)}", ratio, "≤ 1.10", ratio <= 1.10),
        ];
    }

    /// <summary>The dependency's table, then the aggregate reading it: what FlowAkka runs, minus everything around it.</summary>
    private static async Task<double> DirectAsync(BenchDatabase db, Query child, Query parent)
    {
        await db.ExecuteAsync("DROP TABLE IF EXISTS bench_direct.child; DROP TABLE IF EXISTS bench_direct.parent");
        var childSql = child.BuildSql(InlineSqlSource.Instance);
        var parentSql = parent.BuildSql(new FromTable(child.QueryId, "bench_direct.child"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await db.ExecuteAsync($"CREATE TABLE bench_direct.child AS (SELECT * FROM ({childSql}) _)");
        await db.ExecuteAsync($"CREATE TABLE bench_direct.parent AS (SELECT * FROM ({parentSql}) _)");
        return clock.Elapsed.TotalMilliseconds;
    }

    private sealed class FromTable(string queryId, string table) : ISqlSource
    {
        public string SqlFor(Query dependency) =>
            dependency.QueryId == queryId ? $"SELECT * FROM {table}" : dependency.BuildSql(this);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
