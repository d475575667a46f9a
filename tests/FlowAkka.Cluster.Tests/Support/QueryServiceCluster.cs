// FlowAkka nodes in one process with the real query service: Redis journal, FlowDB workers, ZMQ ingress.
using Akka.Actor;
using Akka.Hosting;
using FlowAkka.Cluster.Client;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;
using FlowAkka.Persistence.Redis.Hosting;
using FlowAkka.Protocol;
using System.Text.Json.Nodes;

namespace FlowAkka.Cluster.Tests.Support;

public sealed class QueryServiceCluster : IAsyncDisposable
{
    private readonly List<FlowKitClient> _clients = [];

    private QueryServiceCluster(InProcessCluster cluster) => Nodes = cluster;

    public InProcessCluster Nodes { get; }

    public static async Task<QueryServiceCluster> StartAsync(FlowDbTestDatabase db, int nodes = 1,
        Func<QueryServiceOptions, QueryServiceOptions>? customize = null, string extraHocon = "")
    {
        var prefix = TestEnvironment.UniqueKeyPrefix("qs");
        var options = new QueryServiceOptions
        {
            FlowDbConnectionString = db.ConnectionString,
            Ingress = new IngressSettings { Endpoint = "tcp://127.0.0.1:0" },
            Queries = new QueryServiceSettings { DependencyRecheckInterval = TimeSpan.FromSeconds(1) },
            NumberOfShards = 30,
        };
        options = customize?.Invoke(options) ?? options;
        var cluster = await InProcessCluster.StartAsync(nodes,
            (akka, _) => akka.WithRedisPersistence(TestEnvironment.RedisConfiguration, prefix).ConfigureQueryService(options),
            extraHocon);
        var service = new QueryServiceCluster(cluster);
        await service.AwaitUpAsync(nodes);
        return service;
    }

    public string Endpoint(int node) => $"tcp://127.0.0.1:{IngressEndpoints.Of(Nodes.Systems[node]).Single().Port}";

    public FlowKitClient Client(int node = 0)
    {
        var client = new FlowKitClient(new FlowKitClientOptions { Endpoint = Endpoint(node), Timeout = TimeSpan.FromSeconds(60) });
        _clients.Add(client);
        return client;
    }

    public async Task AwaitUpAsync(int count)
    {
        await Eventually.TrueAsync(() => Nodes.Systems.All(s =>
            Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == count), 60);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Nodes.DisposeAsync();
    }
}

public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(100);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (accept(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"last value: {value}");
            await Task.Delay(100);
        }
    }
}

public static class FlowKitClientExtensions
{
    public static Task<Reply> Poll(this FlowKitClient client, string queryId) =>
        client.RequestAsync("poll_query", new JsonObject { ["query_id"] = queryId });

    /// <summary>Polls until the query leaves queued/executing; returns the last poll reply. "Could not get reply for
    /// message" is the documented retryable error (e.g. while a dead node's shards move), so it polls on.</summary>
    public static Task<Reply> PollUntilSettledAsync(this FlowKitClient client, string queryId, int seconds = 90) =>
        Eventually.ValueAsync(() => client.Poll(queryId),
            r => r.IsSuccess ? r.Payload["query_state"]?.GetValue<string>() is not ("queued" or "executing")
                : r.Msg != Reply.CouldNotGetReplyMsg, seconds);

    public static async Task<string> RunAsync(this FlowKitClient client, JsonObject spec)
    {
        var reply = await client.RequestAsync("run_query", spec);
        if (!reply.IsSuccess) throw new InvalidOperationException($"run_query failed: {reply}");
        return reply.Payload["query_id"]!.GetValue<string>();
    }
}
