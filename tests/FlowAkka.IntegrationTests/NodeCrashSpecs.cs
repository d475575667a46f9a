// A node dies (SIGKILL) or freezes (SIGSTOP) while it runs queries: the survivors finish them, once.
using System.Diagnostics;
using FlowAkka.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.IntegrationTests;

public sealed class NodeCrashSpecs(FlowDbTestDatabase db, ITestOutputHelper output) : IClassFixture<FlowDbTestDatabase>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private async Task WaitForExecutingAsync(NodeCluster cluster, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            try
            {
                await TestEnvironment.EventuallyAsync(async () => await Outcome.ExecutingNodeAsync(cluster, id) is not null,
                    Generous, $"{id} executing");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\npg_stat_activity:\n{await db.ActivityAsync()}", e);
            }
        }
    }

    [Fact]
    public async Task Survivors_finish_the_queries_of_a_killed_node()
    {
        await using var cluster = await NodeCluster.StartAsync("sigkill", 3, db);
        var specs = Specs.AllSpatialAggregates().Take(6).ToList();
        var ids = specs.Select(Specs.IdOf).ToList();
        // The daily_location each aggregate needs is held executing; the aggregates wait for it (queued).
        var held = specs.Select(Specs.DependencyIdOf).ToList();
        var ledger = new RequestLedger();

        string victimAddress;
        await using (await db.HoldQueryLockAsync(held))
        {
            using (var submitter = new QueryDriver(ledger, () => cluster.Client(1)))
            {
                foreach (var spec in specs) await submitter.RunAsync(spec, Generous);
            }
            // Every query is executing (its "executing" event is stored); its worker waits for the lock the test holds.
            await WaitForExecutingAsync(cluster, held);

            var placement = new Dictionary<string, string>();
            foreach (var id in held) placement[id] = (await Outcome.ExecutingNodeAsync(cluster, id))!;
            // Prefer a node that is not the seed (the coordinator's home): the failover measured is the shards'.
            var victim = Enumerable.Range(1, 2).FirstOrDefault(i => placement.ContainsValue(cluster[i].Address), 0);
            victimAddress = cluster[victim].Address;
            var orphaned = held.Where(id => placement[id] == victimAddress).ToList();
            Assert.NotEmpty(orphaned);
            output.WriteLine($"killing node {victim} ({victimAddress}), which runs {orphaned.Count} of {held.Count} held queries");

            var clock = Stopwatch.StartNew();
            cluster[victim].Signal(NodeProcess.SigKill);
            Assert.True(await cluster[victim].WaitForExitAsync(TimeSpan.FromSeconds(10)));
            // A crashed process's connections die with it; its backends waiting for the lock would only notice later.
            foreach (var id in orphaned) await db.TerminateNodeBackendsAsync("flowakka:" + id);

            var survivor = victim == 1 ? 2 : 1;
            using var poller = new QueryDriver(ledger, () => cluster.Client(survivor));
            // The client polls what it asked for (the aggregates); their actors wake their dependencies, whose new
            // incarnations on a survivor recover "executing" and run again.
            foreach (var id in orphaned)
            {
                await TestEnvironment.EventuallyAsync(async () =>
                {
                    foreach (var parent in ids)
                        await poller.SendAsync("poll_query", new System.Text.Json.Nodes.JsonObject { ["query_id"] = parent });
                    return await Outcome.ExecutingNodeAsync(cluster, id) is { } node && node != victimAddress;
                }, Generous, $"{id} re-executed on a survivor", TimeSpan.FromMilliseconds(500));
            }
            output.WriteLine($"failover (SIGKILL → every orphan executing on a survivor): {clock.Elapsed.TotalSeconds:0.0} s");
        }

        using (var finisher = new QueryDriver(ledger, () => cluster.Client(0)))
        {
            foreach (var (spec, id) in specs.Zip(ids)) await finisher.CompleteAsync(spec, id, Generous);
        }

        await Outcome.AssertExecutedExactlyOnceAsync(db, specs.SelectMany(Specs.StoredIdsOf));
        foreach (var id in ids.Concat(held)) await Outcome.AssertJournalIntactAsync(cluster, id);
        Assert.Equal(0, ledger.NoReply);
        output.WriteLine($"requests {ledger.Sent}, replies {ledger.Replied}, retryable error replies {ledger.RetryableErrors}");
    }

    [Fact]
    public async Task A_paused_node_is_downed_and_cannot_write_as_a_zombie()
    {
        await using var cluster = await NodeCluster.StartAsync("sigstop", 3, db);
        var specs = Specs.AllSpatialAggregates().Skip(6).Take(6).ToList();
        var ids = specs.Select(Specs.IdOf).ToList();
        var held = specs.Select(Specs.DependencyIdOf).ToList();
        var ledger = new RequestLedger();
        int victim;

        await using (await db.HoldQueryLockAsync(held))
        {
            using (var submitter = new QueryDriver(ledger, () => cluster.Client(0)))
            {
                foreach (var spec in specs) await submitter.RunAsync(spec, Generous);
            }
            await WaitForExecutingAsync(cluster, held);
            var placement = new Dictionary<string, string>();
            foreach (var id in held) placement[id] = (await Outcome.ExecutingNodeAsync(cluster, id))!;
            victim = Enumerable.Range(1, 2).FirstOrDefault(i => placement.ContainsValue(cluster[i].Address), 0);
            var victimAddress = cluster[victim].Address;
            var frozen = held.Where(id => placement[id] == victimAddress).ToList();
            Assert.NotEmpty(frozen);

            var clock = Stopwatch.StartNew();
            cluster[victim].Signal(NodeProcess.SigStop);
            var survivor = victim == 1 ? 2 : 1;
            using (var poller = new QueryDriver(ledger, () => cluster.Client(survivor)))
            {
                // The frozen node still holds its connections and its workers still wait for the lock: once it is
                // downed, the survivors take its shards and a second incarnation of each query executes.
                foreach (var id in frozen)
                {
                    await TestEnvironment.EventuallyAsync(async () =>
                    {
                        foreach (var parent in ids)
                            await poller.SendAsync("poll_query", new System.Text.Json.Nodes.JsonObject { ["query_id"] = parent });
                        return await Outcome.ExecutingNodeAsync(cluster, id) != victimAddress;
                    }, Generous, $"{id} taken over by a survivor", TimeSpan.FromMilliseconds(500));
                }
            }
            output.WriteLine($"failover (SIGSTOP → shards of the frozen node executing elsewhere): {clock.Elapsed.TotalSeconds:0.0} s");

            // Wake the zombie while its workers and actors still believe they run the queries, then let the
            // statements through: whoever gets a lock first, the journal must refuse the zombie's writes.
            cluster[victim].Signal(NodeProcess.SigCont);
            await Task.Delay(TimeSpan.FromSeconds(1)); // a real zombie gets CPU before anything else happens
        }

        using (var finisher = new QueryDriver(ledger, () => cluster.Client(0)))
        {
            foreach (var (spec, id) in specs.Zip(ids)) await finisher.CompleteAsync(spec, id, Generous);
        }

        // The downed node leaves for good: coordinated shutdown runs when a node learns it was downed.
        Assert.True(await cluster[victim].WaitForExitAsync(TimeSpan.FromSeconds(60)),
            $"the downed node is still running:\n{cluster[victim].LogTail()}");
        await Outcome.AssertExecutedExactlyOnceAsync(db, specs.SelectMany(Specs.StoredIdsOf));
        foreach (var id in ids.Concat(held)) await Outcome.AssertJournalIntactAsync(cluster, id);
        Assert.Equal(0, ledger.NoReply);
        output.WriteLine($"zombie exit code {cluster[victim].ExitCode}; requests {ledger.Sent}, retryable error replies {ledger.RetryableErrors}");
    }
}
