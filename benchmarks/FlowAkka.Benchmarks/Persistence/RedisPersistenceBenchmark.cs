// Redis journal throughput (Persist / PersistAll with 1, 100 and 1 000 actors) and recovery of 10 000 events, each
// beside raw pipelined ZADD throughput measured from this process in the same run.
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using StackExchange.Redis;

namespace FlowAkka.Benchmarks.Persistence;

public sealed class RedisPersistenceBenchmark : IBenchmark
{
    private const string Area = "redis-persistence";
    private const int RecoveryEvents = 10_000;

    public string Name => "redis-persistence";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var prefix = $"bench:{Guid.NewGuid():N}:";
        var rows = new List<BenchmarkRow>();
        var system = ActorSystem.Create("redis-persistence-bench", Hocon(context.RedisConfiguration, prefix));
        try
        {
            // Warm-up: connections, scripts, JIT.
            await WriteAsync(system, "warmup", 10, 2, 10);
            var raw = await RawZaddRateAsync(context.RedisConfiguration, prefix, context.Quick ? 50_000 : 200_000);
            var baseline = $"raw ZADD {Rate(raw)}";

            foreach (var (actors, batchSize, batches, goal) in Scenarios(context.Quick))
            {
                var rate = await WriteAsync(system, $"w{actors}x{batchSize}", actors, batches, batchSize);
                var ratio = rate / raw;
                var measure = $"{(batchSize == 1 ? "Persist" : $"PersistAll({batchSize})")}, {actors} actor{(actors == 1 ? "" : "s")}";
                rows.Add(goal
                    ? new BenchmarkRow(Area, measure, Rate(rate), baseline, ratio, "≥ 0.50 of raw ZADD", ratio >= 0.5)
                    : new BenchmarkRow(Area, measure, Rate(rate), baseline, ratio, "none (context)", true));
            }

            var recovery = await RecoveryAsync(system);
            var recoveryRatio = 1.0 / recovery.TotalSeconds;
            rows.Add(new BenchmarkRow(Area, $"recovery of {RecoveryEvents:N0} events", $"{recovery.TotalMilliseconds:0} ms",
                $"1 s (raw ZADD {Rate(raw)})", recoveryRatio, "≥ 1.00 (under 1 s)", recoveryRatio >= 1.0));
        }
        finally
        {
            await system.Terminate();
            await DeleteKeysAsync(context.RedisConfiguration, prefix);
        }
        return rows;
    }

    private static IEnumerable<(int Actors, int BatchSize, int Batches, bool Goal)> Scenarios(bool quick)
    {
        foreach (var actors in new[] { 1, 100, 1000 })
        {
            // Batches per actor: enough events to take a few seconds, fewer with --quick.
            var persistEvents = quick ? 2_000 : 10_000;
            var persistAllEvents = quick ? 10_000 : 50_000;
            yield return (actors, 1, Math.Max(2, persistEvents / actors), false);
            yield return (actors, 10, Math.Max(2, persistAllEvents / (actors * 10)), actors == 100);
        }
    }

    private static Config Hocon(string redis, string prefix) => ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.redis"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.redis"
        akka.persistence.journal.redis { configuration-string = "{{redis}}", key-prefix = "{{prefix}}" }
        akka.persistence.snapshot-store.redis { configuration-string = "{{redis}}", key-prefix = "{{prefix}}" }
        akka.persistence.max-concurrent-recoveries = 200
        """).WithFallback(FlowAkka.Persistence.Redis.RedisPersistence.DefaultConfig());

    /// <summary>Events per second over all actors; actors are created and recovered before the clock starts.</summary>
    private static async Task<double> WriteAsync(ActorSystem system, string name, int actors, int batches, int batchSize)
    {
        var writers = Enumerable.Range(0, actors).Select(i => system.ActorOf(Props.Create(() => new BenchmarkWriter($"{name}-{i}")))).ToList();
        await Task.WhenAll(writers.Select(w => w.Ask<Ready>(new AreYouReady(), TimeSpan.FromSeconds(60))));
        var clock = Stopwatch.StartNew();
        var done = await Task.WhenAll(writers.Select(w => w.Ask<WritingDone>(new StartWriting(batches, batchSize), TimeSpan.FromMinutes(5))));
        clock.Stop();
        foreach (var w in writers) w.Tell(PoisonPill.Instance);
        return done.Sum(d => d.Events) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<TimeSpan> RecoveryAsync(ActorSystem system)
    {
        const string pid = "recovery";
        var writer = system.ActorOf(Props.Create(() => new BenchmarkWriter(pid)));
        await writer.Ask<WritingDone>(new StartWriting(RecoveryEvents / 100, 100), TimeSpan.FromMinutes(5));
        writer.Tell(PoisonPill.Instance);

        var report = new TaskCompletionSource<RecoveryDone>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = system.ActorOf(Props.Create(() => new RecoveryInbox(report)));
        var clock = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new BenchmarkReader(pid, inbox)));
        var done = await report.Task.WaitAsync(TimeSpan.FromMinutes(2));
        clock.Stop();
        if (done.Events != RecoveryEvents) throw new InvalidOperationException($"recovered {done.Events} events, expected {RecoveryEvents}");
        return clock.Elapsed;
    }

    private sealed class RecoveryInbox : ReceiveActor
    {
        public RecoveryInbox(TaskCompletionSource<RecoveryDone> report) => Receive<RecoveryDone>(d => report.TrySetResult(d));
    }

    /// <summary>ZADD of one ~160-byte member per command, up to 1 000 in flight, over 100 keys.</summary>
    private static async Task<double> RawZaddRateAsync(string redis, string prefix, int count)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis);
        var db = mux.GetDatabase();
        var member = new byte[160];
        Random.Shared.NextBytes(member);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(1000);
        for (var i = 0; i < count; i++)
        {
            var value = (byte[])member.Clone();
            BitConverter.TryWriteBytes(value, i);
            inFlight.Add(db.SortedSetAddAsync($"{prefix}raw:{i % 100}", value, i, CommandFlags.DemandMaster));
            if (inFlight.Count == 1000) { await Task.WhenAll(inFlight); inFlight.Clear(); }
        }
        await Task.WhenAll(inFlight);
        clock.Stop();
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task DeleteKeysAsync(string redis, string prefix)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis);
        var db = mux.GetDatabase();
        foreach (var endpoint in mux.GetEndPoints())
        {
            var batch = new List<RedisKey>();
            await foreach (var key in mux.GetServer(endpoint).KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                batch.Add(key);
                if (batch.Count == 1000) { await db.KeyDeleteAsync([.. batch]); batch.Clear(); }
            }
            if (batch.Count > 0) await db.KeyDeleteAsync([.. batch]);
        }
    }

    private static string Rate(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:N0} ev/s");
}
