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
}
