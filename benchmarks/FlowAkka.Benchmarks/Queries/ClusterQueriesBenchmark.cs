// Issue #9 rows 2 and 3 on one 3-node in-process cluster over a small dataset (queries take milliseconds, so the
// figures are FlowAkka's own): deduplication of 1 000 concurrent run_query of one spec, and how fast a parent
// starts once its dependency has completed (push instead of FlowKit's 1 s polling).
using System.Text.Json.Nodes;
using FlowAkka.Benchmarks.Support;

namespace FlowAkka.Benchmarks.Queries;

public sealed class ClusterQueriesBenchmark : IBenchmark
{
    private static readonly string[] Dates = ["2016-01-01", "2016-01-02", "2016-01-03"];
    private static readonly string[] Units = ["admin1", "admin2", "admin3"];
    private static readonly string[] Methods = ["last", "most-common"];
    private static readonly (int? Start, int? End)[] Hours = [(null, null), (0, 12), (12, 24), (6, 18), (0, 6), (6, 12), (12, 18), (18, 24)];

    public string Name => "cluster-queries";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var rows = new List<BenchmarkRow>();
        var prefix = RedisKeys.UniquePrefix(Name);
        await using var db = await BenchDatabase.CreateAsync(context, "cluster", BenchDatabase.SmallDataset, cancellationToken);
        try
        {
            await using var nodes = await QueryNodes.StartAsync(3, db.ConnectionString, context.RedisConfiguration, prefix);
            rows.AddRange(await DedupeAsync(nodes, db));
            rows.AddRange(await WakeUpAsync(nodes, db, context.Quick ? 60 : Dates.Length * Units.Length * Methods.Length * Hours.Length));
        }
        finally
        {
            await RedisKeys.DeleteAsync(context.RedisConfiguration, prefix);
        }
        return rows;
    }

    private static async Task<IEnumerable<BenchmarkRow>> DedupeAsync(QueryNodes nodes, BenchDatabase db)
    {
        const int requests = 1000;
        // 10 DEALERs spread over the 3 nodes, each with its 100 requests in flight at once: all 1 000 are concurrent.
        var endpoints = new[] { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2 }.Select(nodes.Endpoint).ToList();
        var dependency = Requests.DailyLocation("2016-01-02", "admin2", "last", 1, 23);
        var spec = Requests.SpatialAggregate(dependency);
        var queryId = Requests.QueryId(spec);
        var runBody = Requests.Body("run_query", spec);
        var pingBody = Requests.Body("ping", null);

        DealerLoad.Run(endpoints, null, 1, 100, 100, _ => pingBody); // warm-up: connections, JIT
        var ping = DealerLoad.Run(endpoints, null, 1, requests / endpoints.Count, requests / endpoints.Count, _ => pingBody);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = DealerLoad.Run(endpoints, null, 1, requests / endpoints.Count, requests / endpoints.Count, _ => runBody,
            TimeSpan.FromSeconds(120));
        using var client = nodes.Client();
        await client.AwaitCompletedAsync(queryId, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(120));
        var untilCompleted = clock.Elapsed;
        if (run.Failed > 0) throw new InvalidOperationException($"{run.Failed} of {requests} run_query replies were not success");
        // Both tables of the tree must have been created exactly once.
        var executions = await db.ExecutionsAsync(queryId);
        var dependencyExecutions = await db.ExecutionsAsync(Requests.QueryId(dependency));
        var ratio = run.Elapsed.TotalMilliseconds / ping.Elapsed.TotalMilliseconds;
        return
        [
            new BenchmarkRow("dedupe", $"CREATE TABLE AS committed in PostgreSQL after {requests:N0} concurrent run_query of one spatial_aggregate at 3 nodes",
                $"{executions} (its daily_location: {dependencyExecutions})", "1 each (exactly once)", Math.Max(executions, dependencyExecutions),
                "= 1.00", executions == 1 && dependencyExecutions == 1),
            new BenchmarkRow("dedupe", $"time until all {requests:N0} run_query replies (completed after {Measure.Ms(untilCompleted.TotalMilliseconds)})",
                Measure.Ms(run.Elapsed.TotalMilliseconds), $"{requests:N0} pings, same clients: {Measure.Ms(ping.Elapsed.TotalMilliseconds)}",
                ratio, "none (context)", true),
        ];
    }

    private static async Task<IEnumerable<BenchmarkRow>> WakeUpAsync(QueryNodes nodes, BenchDatabase db, int pairs)
    {
        var combos = (from date in Dates from unit in Units from method in Methods from hours in Hours
                      select Requests.DailyLocation(date, unit, method, hours.Start, hours.End)).Take(pairs).ToList();
        // Three at a time, one client per node, so parents and their dependencies often live on different nodes.
        var clients = Enumerable.Range(0, 3).Select(nodes.Client).ToList();
        var measured = new List<double>();
        // Warm-up pairs (not measured): JIT, and the DB workers' first physical connections, which a running server has.
        var warmup = (from date in Dates from unit in new[] { "admin1", "admin3" } select Requests.DailyLocation(date, unit, "last", 2, 22)).ToList();
        try
        {
            foreach (var batch in new[] { warmup, combos })
            for (var i = 0; i < batch.Count; i += clients.Count)
            {
                await Task.WhenAll(batch.Skip(i).Take(clients.Count).Select(async (child, k) =>
                {
                    var parent = Requests.SpatialAggregate(child);
                    var parentId = await clients[k].RunAsync(parent);
                    await clients[k].AwaitCompletedAsync(parentId, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(60));
                }));
            }
            foreach (var child in combos)
            {
                var gap = await db.ScalarAsync<double>("""
                    SELECT (extract(epoch FROM (p.started - c.done)) * 1000)::float8
                    FROM public.ddl_log p,
                         (SELECT max(logged) AS done FROM public.ddl_log
                          WHERE tx = (SELECT tx FROM public.ddl_log WHERE tag = 'CREATE TABLE AS' AND object = @child)) c
                    WHERE p.tag = 'CREATE TABLE AS' AND p.object = @parent
                    """,
                    ("child", $"cache.x{Requests.QueryId(child)}"), ("parent", $"cache.x{Requests.QueryId(Requests.SpatialAggregate(child))}"));
                measured.Add(gap);
            }
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        var p99 = Measure.Percentile(measured, 99);
        var ratio = 1000.0 / p99;
        return
        [
            new BenchmarkRow("dependency wake-up",
                $"dependency's last DDL → parent's CREATE TABLE AS start, {measured.Count} spatial_aggregate(daily_location) pairs after {warmup.Count} warm-up pairs, 3 nodes, 3 at a time (ratio = 1 000 ms / p99)",
                $"p99 {Measure.Ms(p99)} (p50 {Measure.Ms(Measure.Percentile(measured, 50))}, max {Measure.Ms(measured.Max())})",
                "flowmachine's 1 s polling interval", ratio, "≥ 20.00 (p99 ≤ 50 ms)", ratio >= 20),
        ];
    }
}
