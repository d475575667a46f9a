// Redis (the journal) stops under load, PostgreSQL drops every connection mid-query: error replies, never a hang,
// and nothing acknowledged is lost.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using FlowAkka.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.IntegrationTests;

/// <summary>A test database, a private redis-server (this class stops it) and two nodes journaling to it.</summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public FlowDbTestDatabase Db { get; } = new();

    public PrivateRedis Redis { get; private set; } = null!;

    public NodeCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Redis = await PrivateRedis.StartAsync();
        Cluster = await NodeCluster.StartAsync("outage", 2, Db, new RedisEndpoint("127.0.0.1", Redis.Port, null));
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Redis.DisposeAsync();
        await Db.DisposeAsync();
    }
}

public sealed class StoreOutageSpecs(OutageFixture fixture, ITestOutputHelper output) : IClassFixture<OutageFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly NodeCluster _cluster = fixture.Cluster;
    private readonly FlowDbTestDatabase _db = fixture.Db;

    [Fact]
    public async Task Redis_down_for_ten_seconds_answers_every_request_and_loses_nothing_acknowledged()
    {
        var ledger = new RequestLedger();
        var acknowledged = new ConcurrentDictionary<string, JsonObject>();
        var realSpecs = Specs.AllSpatialAggregates().Skip(12).Take(4).ToList();
        using var stop = new CancellationTokenSource();
        var outage = new ConcurrentBag<(double AtSeconds, string Reply)>();
        var acks = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();

        // Four FlowAPI-like callers over both nodes: new queries (dummies and real ones) and polls of acknowledged ones.
        var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var driver = new QueryDriver(ledger, () => _cluster.Client(c % 2, TimeSpan.FromSeconds(40)));
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var spec = n % 5 == 4 ? realSpecs[(c + n) % realSpecs.Count] : Specs.Dummy($"outage_{c}_{n}");
                var reply = await driver.SendAsync("run_query", spec);
                if (reply is { IsSuccess: true })
                {
                    acknowledged[reply.Payload["query_id"]!.GetValue<string>()] = spec;
                    acks.Add(clock.Elapsed.TotalSeconds);
                }
                else if (reply is not null) outage.Add((clock.Elapsed.TotalSeconds, reply.Msg));
                var known = acknowledged.Keys.ToArray();
                if (known.Length > 0)
                {
                    var poll = await driver.SendAsync("poll_query", new JsonObject { ["query_id"] = known[n % known.Length] });
                    if (poll is { IsSuccess: false }) outage.Add((clock.Elapsed.TotalSeconds, poll.Msg));
                }
                await Task.Delay(50);
            }
        })).ToList();

        try
        {
            await TestEnvironment.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 20), Generous, "20 acknowledged queries before the outage");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: sent {ledger.Sent}, no reply {ledger.NoReply}, errors: {string.Join("; ", outage.Take(3).Select(o => o.Reply))}", e);
        }
        var before = acknowledged.Count;
        await fixture.Redis.StopAsync();
        var down = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await fixture.Redis.StartAgainAsync();
        var up = clock.Elapsed.TotalSeconds;
        // Load goes on until new queries are acknowledged again, then stops.
        var afterOutage = acknowledged.Count;
        await TestEnvironment.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= afterOutage + 5), Generous,
            "new queries acknowledged after Redis returned");
        stop.Cancel();
        await Task.WhenAll(callers);

        var errors = outage.Where(o => o.AtSeconds >= down).ToList();
        output.WriteLine($"Redis down {down:0.0}s → up {up:0.0}s; acknowledged {before} before, {acknowledged.Count} in all");
        output.WriteLine($"first acknowledgement after Redis returned: +{acks.Where(a => a > up).DefaultIfEmpty(double.NaN).Min() - up:0.0}s; " +
                         $"last error reply at +{errors.Select(e => e.AtSeconds).DefaultIfEmpty(up).Max() - up:0.0}s; " +
                         $"longest request {ledger.LatenciesMs.DefaultIfEmpty(0).Max() / 1000:0.0}s");
        output.WriteLine($"requests {ledger.Sent}, replies {ledger.Replied}, no reply {ledger.NoReply}, retryable errors {ledger.RetryableErrors}");
        foreach (var group in errors.GroupBy(e => e.Reply)) output.WriteLine($"  {group.Count()} x \"{group.Key}\"");

        // No hang: every request was answered within the client's timeout. Whether a request met by the outage
        // gets an error reply or waits for Redis to come back depends on timeouts (both seen); an error must be a
        // documented, retryable one.
        Assert.Equal(0, ledger.NoReply);
        Assert.All(errors, e => Assert.True(RequestLedger.IsRetryable(new(FlowAkka.Protocol.ReplyStatus.Error, e.Reply, new JsonObject())),
            $"not a documented retryable error: {e.Reply}"));

        using var checker = new QueryDriver(ledger, () => _cluster.Client(0));
        foreach (var (id, spec) in acknowledged) await checker.CompleteAsync(spec, id, Generous);
        await Outcome.AssertExecutedExactlyOnceAsync(_db, realSpecs.SelectMany(Specs.StoredIdsOf));
        foreach (var id in acknowledged.Keys) await Outcome.AssertJournalIntactAsync(_cluster, id);
    }

    [Fact]
    public async Task A_query_whose_connection_PostgreSQL_drops_is_retried_and_completes()
    {
        var spec = Specs.AllSpatialAggregates()[20];
        var id = Specs.IdOf(spec);
        var dependency = Specs.DependencyIdOf(spec);
        var ledger = new RequestLedger();
        using var driver = new QueryDriver(ledger, () => _cluster.Client(1));

        await using (await _db.HoldQueryLockAsync([dependency]))
        {
            Assert.Equal(id, await driver.RunAsync(spec, Generous));
            await TestEnvironment.EventuallyAsync(async () => await _db.WaitingWorkersAsync(dependency) == 1, Generous,
                "the dependency's statement running in PostgreSQL");
            // What a PostgreSQL restart does to the nodes: every connection to FlowDB is closed under them.
            var terminated = await _db.TerminateNodeBackendsAsync();
            output.WriteLine($"terminated {terminated} node connection(s)");
            Assert.True(terminated >= 1);
        }

        var reruns = await driver.CompleteAsync(spec, id, Generous);
        output.WriteLine($"completed after {reruns} extra run_query call(s)");
        await Outcome.AssertExecutedExactlyOnceAsync(_db, Specs.StoredIdsOf(spec));
        await Outcome.AssertJournalIntactAsync(_cluster, id);
        Assert.Equal(0, ledger.NoReply);
    }
}
