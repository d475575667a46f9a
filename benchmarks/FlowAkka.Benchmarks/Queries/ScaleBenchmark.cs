// Issue #9 row 6: one node that knows many completed queries: resident memory and poll latency, against the same
// node when it knew 100. dummy_query completes without SQL; passivated actors recover from Redis when polled.
using FlowAkka.Benchmarks.Support;

namespace FlowAkka.Benchmarks.Queries;

public sealed class ScaleBenchmark : IBenchmark
{
    private const int Small = 100;

    public string Name => "scale";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var large = context.Quick ? 10_000 : 100_000;
        var polls = context.Quick ? 2_000 : 5_000;
        var prefix = RedisKeys.UniquePrefix(Name);
        await using var db = await BenchDatabase.CreateAsync(context, "scale", null, cancellationToken);
        try
        {
            await using var nodes = await QueryNodes.StartAsync(1, db.ConnectionString, context.RedisConfiguration, prefix);
            var system = nodes.Systems[0];
            var region = nodes.Region(0);
            using var client = nodes.Client();
            var ids = new List<string>();

            async Task AddAsync(int from, int to)
            {
                for (var start = from; start < to; start += 2000)
                {
                    var specs = Enumerable.Range(start, Math.Min(2000, to - start)).Select(i => Requests.Dummy($"s{i}")).ToList();
                    await Completion.EnsureCompletedAsync(system, region, specs, TimeSpan.FromMinutes(5));
                    ids.AddRange(specs.Select(Requests.QueryId));
                }
            }

            async Task<List<double>> PollAsync()
            {
                var random = new Random(7);
                var result = new List<double>(polls);
                for (var i = 0; i < 200 + polls; i++)
                {
                    var id = ids[random.Next(ids.Count)];
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var state = await client.StateAsync(id);
                    if (state != "completed") throw new InvalidOperationException($"poll of {id} said {state}");
                    if (i >= 200) result.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                return result;
            }

            await AddAsync(0, Small);
            var smallLatency = await PollAsync();
            var smallMemory = Measure.WorkingSetAfterGc();
            await AddAsync(Small, large);
            var largeLatency = await PollAsync();
            var largeMemory = Measure.WorkingSetAfterGc();

            const long budget = 1L << 30;
            var memoryRatio = (double)largeMemory / budget;
            var p50 = Measure.Percentile(largeLatency, 50);
            var smallP50 = Measure.Percentile(smallLatency, 50);
            var latencyRatio = p50 / smallP50;
            var quickNote = context.Quick ? " (--quick: 10 000 instead of 100 000)" : "";
            return
            [
                new BenchmarkRow("scale", $"resident memory (working set after GC, whole process) with {large:N0} completed queries{quickNote}",
                    Measure.MiB(largeMemory), $"budget 1 GiB (with {Small} queries: {Measure.MiB(smallMemory)})", memoryRatio, "≤ 1.00 (≤ 1 GiB)", memoryRatio <= 1.0),
                new BenchmarkRow("scale", $"poll_query latency over {large:N0} queries, {polls:N0} random polls (ratio of p50){quickNote}",
                    $"p50 {Measure.Ms(p50)}, p99 {Measure.Ms(Measure.Percentile(largeLatency, 99))}",
                    $"over {Small} queries: p50 {Measure.Ms(smallP50)}, p99 {Measure.Ms(Measure.Percentile(smallLatency, 99))}",
                    latencyRatio, "≤ 1.20", latencyRatio <= 1.2),
            ];
        }
        finally
        {
            await RedisKeys.DeleteAsync(context.RedisConfiguration, prefix);
        }
    }
}
