using Akka.Actor;
using Akka.Hosting;
using Akka.Routing;
using FlowAkka.Cluster.Database;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FlowAkka.Cluster.Tests.Database;

public sealed class DbPoolSpecs(FlowDbTestDatabase db) : IClassFixture<FlowDbTestDatabase>
{
    [Fact]
    public async Task The_pool_has_as_many_workers_as_the_connection_budget_whatever_workers_conf_says()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 1,
            customize: o => o with { DbPool = o.DbPool with { PoolSize = 7 } });
        var system = service.Nodes.Systems[0];
        var workers = await system.ActorSelection($"/user/{DbPool.Name}/{DbPool.WorkersName}").ResolveOne(TimeSpan.FromSeconds(5));
        var routees = await workers.Ask<Routees>(new GetRoutees(), TimeSpan.FromSeconds(5));
        Assert.Equal(7, routees.Members.Count());

        var pool = service.Nodes.Hosts[0].Services.GetRequiredService<ActorRegistry>().Get<DbPoolKey>();
        var stats = await pool.Ask<WorkerStats>(GetWorkerStats.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(7, stats.PoolSize);
        Assert.Equal(7, stats.Idle);
        Assert.True(stats.DatabaseReachable);
    }

    [Fact]
    public async Task A_statement_waiting_in_postgresql_does_not_hold_up_work_for_the_free_workers()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 1,
            customize: o => o with { DbPool = o.DbPool with { PoolSize = 2 } });
        var client = service.Client();
        var slow = Queries.Specs.SpatialAggregate(date: "2016-01-02", method: "last", unit: "admin0");
        var slowId = FlowAkka.Queries.QueryCatalog.Parse(slow).Query!.QueryId;
        await using var blocker = await Queries.QueryServiceActionSpecs.LockAsync(db, slowId);
        Assert.Equal(slowId, await client.RunAsync(slow));
        await Eventually.ValueAsync(() => db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @app AND state = 'active'", ("app", "flowakka:" + slowId)), n => n == 1);

        // Several queries, one after another, all complete on the one free worker while the other is stuck.
        foreach (var date in new[] { "2016-01-01", "2016-01-03" })
        {
            var id = await client.RunAsync(Queries.Specs.SpatialAggregate(date: date, method: "most-common", unit: "admin0"));
            Assert.Equal("completed", (await client.PollUntilSettledAsync(id, seconds: 30)).Payload["query_state"]!.GetValue<string>());
        }
        Assert.Equal("executing", (await client.Poll(slowId)).Payload["query_state"]!.GetValue<string>());
        await Queries.QueryServiceActionSpecs.UnlockAsync(blocker);
        Assert.Equal("completed", (await client.PollUntilSettledAsync(slowId)).Payload["query_state"]!.GetValue<string>());
    }
}
