// Issue #9 row 5: how many persisted state transitions per second 1 000 concurrent QueryActors reach through the
// shard region (dummy_query: registered, queued, executing, completed, all in Redis), against raw pipelined ZADD.
using FlowAkka.Benchmarks.Support;

namespace FlowAkka.Benchmarks.Queries;

public sealed class TransitionsBenchmark : IBenchmark
{
    // QueryRegistered + QueryQueued, then QueryExecutionStarted + QueryCompleted: four journal events per query.
    private const int EventsPerQuery = 4;

    public string Name => "query-transitions";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        const int actors = 1000;
        var prefix = RedisKeys.UniquePrefix(Name);
        await using var db = await BenchDatabase.CreateAsync(context, "transitions", null, cancellationToken);
        try
        {
            await using var nodes = await QueryNodes.StartAsync(1, db.ConnectionString, context.RedisConfiguration, prefix);
            var system = nodes.Systems[0];
            var region = nodes.Region(0);
            await Completion.EnsureCompletedAsync(system, region,
                Enumerable.Range(0, 200).Select(i => Requests.Dummy($"warm{i}")).ToList(), TimeSpan.FromMinutes(2));
            var raw = await RedisKeys.RawZaddRateAsync(context.RedisConfiguration, prefix, context.Quick ? 50_000 : 200_000);
            var rounds = context.Quick ? 2 : 4;
            var best = 0.0;
            for (var r = 0; r < rounds; r++)
            {
                var specs = Enumerable.Range(0, actors).Select(i => Requests.Dummy($"t{r}_{i}")).ToList();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await Completion.EnsureCompletedAsync(system, region, specs, TimeSpan.FromMinutes(2));
                best = Math.Max(best, actors * EventsPerQuery / clock.Elapsed.TotalSeconds);
            }
            var ratio = best / raw;
            return
            [
                new BenchmarkRow("persistence", $"state transitions of {actors:N0} concurrent QueryActors (dummy_query, {EventsPerQuery} events each, best of {rounds})",
                    Measure.Rate(best, "ev/s"), $"raw pipelined ZADD: {Measure.Rate(raw, "ev/s")}", ratio, "≥ 0.10 of raw ZADD", ratio >= 0.10),
            ];
        }
        finally
        {
            await RedisKeys.DeleteAsync(context.RedisConfiguration, prefix);
        }
    }
}
