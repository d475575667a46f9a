// The query service across three in-process nodes: one execution per query wherever requests enter, and a
// query whose node dies without leaving completes on a survivor.
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Queries;
using FlowAkka.Cluster.Tests.Support;
using FlowAkka.Queries;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FlowAkka.Cluster.Tests.Queries;

public sealed class QueryServiceClusterSpecs(FlowDbTestDatabase db) : IClassFixture<FlowDbTestDatabase>
{
    // A crashed node must vanish without leaving: no coordinated shutdown when its actor system terminates.
    private const string CrashableNodes = "akka.coordinated-shutdown.run-by-actor-system-terminate = off";

    [Fact]
    public async Task Concurrent_run_query_entering_at_every_node_execute_once()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 3);
        var spec = Specs.SpatialAggregate(date: "2016-01-02", method: "most-common", unit: "admin1");
        var endpoints = Enumerable.Range(0, 3).Select(service.Endpoint).ToList();
        var ids = await ConcurrentRuns.SendAsync(endpoints, spec, sockets: 21, perSocket: 10);
        Assert.Equal(210, ids.Count);
        var id = Assert.Single(ids.Distinct());
        foreach (var node in Enumerable.Range(0, 3))
        {
            var settled = await service.Client(node).PollUntilSettledAsync(id);
            Assert.Equal("completed", settled.Payload["query_state"]!.GetValue<string>());
        }
        Assert.Equal(1, await db.CreateCountAsync(id));
        var dependency = QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId;
        Assert.Equal(1, await db.CreateCountAsync(dependency));
    }

    [Fact]
    public async Task A_query_whose_node_dies_without_leaving_completes_once_on_a_survivor()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 3, extraHocon: CrashableNodes);
        var spec = Specs.SpatialAggregate(date: "2016-01-03", unit: "admin1");
        var query = QueryCatalog.Parse(spec).Query!;
        var id = query.QueryId;

        // Keep the top-level statement waiting in PostgreSQL so that it is executing when its node dies.
        await using var blocker = new NpgsqlConnection(db.ConnectionString);
        await blocker.OpenAsync();
        await ExecuteAsync(blocker, "SELECT pg_advisory_lock(hashtext('flowakka-cache'), hashtext(@id))", ("id", id));

        var client = service.Client(0);
        Assert.Equal(id, await client.RunAsync(spec));
        await Eventually.ValueAsync(() => db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @app AND state = 'active'", ("app", "flowakka:" + id)), n => n == 1);

        var region = service.Nodes.Hosts[0].Services.GetRequiredService<ActorRegistry>().Get<QueryRegionKey>();
        var description = await region.Ask<QueryDescription>(new DescribeQuery(id), TimeSpan.FromSeconds(10));
        Assert.Equal(Protocol.QueryState.Executing, description.State);
        var hostAddress = description.History.Last().Node!;
        var victim = service.Nodes.Systems.Single(s => Akka.Cluster.Cluster.Get(s).SelfAddress.ToString() == hostAddress);
        var survivor = Enumerable.Range(0, 3).First(i => service.Nodes.Systems[i] != victim);

        await victim.Terminate();
        // The dead process's connections die with it: its statement is rolled back.
        await ExecuteAsync(blocker, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app", ("app", "flowakka:" + id));
        await ExecuteAsync(blocker, "SELECT pg_advisory_unlock_all()");

        var settled = await service.Client(survivor).PollUntilSettledAsync(id, seconds: 120);
        Assert.True(settled.IsSuccess, settled.ToString());
        Assert.Equal("completed", settled.Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await db.CreateCountAsync(id));
        var after = await service.Nodes.Systems[survivor].ActorSelection("/system/sharding/query").ResolveOne(TimeSpan.FromSeconds(5));
        var final = await after.Ask<QueryDescription>(new DescribeQuery(id), TimeSpan.FromSeconds(10));
        Assert.Contains(final.History, h => h.State == Protocol.QueryState.Executing && h.Node != hostAddress);
    }

    [Fact]
    public async Task Without_dependency_caching_only_the_top_level_query_is_stored()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 1,
            customize: o => o with { Queries = o.Queries with { DependencyCaching = false } });
        // A spec no other test of this class runs (they share one FlowDB).
        var spec = Specs.SpatialAggregate(date: "2016-01-03", method: "most-common", unit: "admin3");
        var client = service.Client();
        var id = await client.RunAsync(spec);
        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await db.CreateCountAsync(id));
        var dependency = QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId;
        Assert.Equal(0, await db.CreateCountAsync(dependency));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM cache.dependencies WHERE query_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Resetting_dependencies_and_running_their_parents_again_recomputes_everything()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 3);
        var specs = new[] { "admin0", "admin1", "admin2", "admin3", "lon-lat" }
            .SelectMany(unit => new[] { "2016-01-01", "2016-01-02" }.Select(date => Specs.SpatialAggregate(date: date, method: "last", unit: unit)))
            .ToList();
        var clients = Enumerable.Range(0, 3).Select(service.Client).ToList();
        var ids = await Task.WhenAll(specs.Select((spec, i) => Task.Run(async () =>
        {
            using var client = new Client.FlowKitClient(new Client.FlowKitClientOptions { Endpoint = service.Endpoint(i % 3) });
            var id = await client.RunAsync(spec);
            await client.PollUntilSettledAsync(id);
            return id;
        })));
        var dependencies = specs.Select(spec => QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId).ToList();

        foreach (var (dependency, i) in dependencies.Select((d, i) => (d, i)))
        {
            var reset = await clients[i % 3].RequestAsync("reset_query", new JsonObject { ["query_id"] = dependency });
            Assert.True(reset.IsSuccess, reset.ToString());
        }
        await Task.WhenAll(specs.Select((spec, i) => Task.Run(async () =>
        {
            using var client = new Client.FlowKitClient(new Client.FlowKitClientOptions { Endpoint = service.Endpoint((i + 1) % 3) });
            Assert.Equal(ids[i], await client.RunAsync(spec));
            var settled = await client.PollUntilSettledAsync(ids[i], seconds: 60);
            Assert.Equal("completed", settled.Payload["query_state"]!.GetValue<string>());
        })));
        foreach (var id in ids.Concat(dependencies)) Assert.Equal(2, await db.CreateCountAsync(id));
    }

    [Fact]
    public async Task Without_retries_a_transient_failure_errors_and_the_next_run_query_runs_it_again()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 1,
            customize: o => o with { Queries = o.Queries with { ExecutionRetries = 0 } });
        var client = service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-01", method: "most-common", unit: "admin0");
        var id = QueryCatalog.Parse(spec).Query!.QueryId;
        await using var blocker = await QueryServiceActionSpecs.LockAsync(db, id);
        Assert.Equal(id, await client.RunAsync(spec));
        await Eventually.ValueAsync(() => db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @app AND state = 'active'", ("app", "flowakka:" + id)), n => n == 1);
        await QueryServiceActionSpecs.TerminateStatementsAsync(blocker, id);
        await QueryServiceActionSpecs.UnlockAsync(blocker);
        Assert.Equal("errored", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());

        Assert.Equal(id, await client.RunAsync(spec));
        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await db.CreateCountAsync(id));
    }

    [Fact]
    public async Task While_FlowDB_is_unreachable_queries_error_quickly_and_the_node_keeps_answering()
    {
        await using var service = await QueryServiceCluster.StartAsync(db, nodes: 1, customize: o => o with
        {
            // Nothing listens on port 1: every connection is refused.
            FlowDbConnectionString = "Host=127.0.0.1;Port=1;Database=flowdb;Username=postgres;Timeout=2",
            EnsureCacheSchema = false,
        });
        var client = service.Client();
        var id = await client.RunAsync(Specs.SpatialAggregate(date: "2016-01-03", unit: "admin2"));
        var settled = await client.PollUntilSettledAsync(id);
        Assert.Equal("errored", settled.Payload["query_state"]!.GetValue<string>());
        var sql = await client.RequestAsync("get_sql_for_query_result", new JsonObject { ["query_id"] = id });
        Assert.Equal($"Query with id '{id}' finished with an error.", sql.Msg);
        Assert.Equal("pong", (await client.RequestAsync("ping")).Msg);
        var dates = await client.RequestAsync("get_available_dates");
        Assert.Equal("Could not get reply for message", dates.Msg);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
