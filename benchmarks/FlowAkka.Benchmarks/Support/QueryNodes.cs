// FlowAkka nodes in this process with the real query service (Redis journal, FlowDB workers, ZMQ ingress),
// composed with the node's own hosting extensions, on loopback with free ports.
using Akka.Actor;
using Akka.Hosting;
using FlowAkka.Cluster.Actions;
using FlowAkka.Cluster.Client;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;
using FlowAkka.Persistence.Redis.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowAkka.Benchmarks.Support;

public sealed class QueryNodes : IAsyncDisposable
{
    private const string BenchHocon = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.down-removal-margin = 1s
        """;

    private readonly List<IHost> _hosts = [];

    public IReadOnlyList<ActorSystem> Systems => _hosts.Select(h => h.Services.GetRequiredService<ActorSystem>()).ToList();

    public ActorRegistry Registry(int node) => _hosts[node].Services.GetRequiredService<ActorRegistry>();

    public IActorRef Region(int node) => Registry(node).Get<QueryRegionKey>();

    public IActorRef ActionHandler(int node) => Registry(node).Get<ActionHandlerKey>();

    public string Endpoint(int node) => $"tcp://127.0.0.1:{IngressEndpoints.Of(Systems[node]).First().Port}";

    public FlowKitClient Client(int node = 0) =>
        new(new FlowKitClientOptions { Endpoint = Endpoint(node), Timeout = TimeSpan.FromSeconds(120) });

    /// <summary>Starts <paramref name="count"/> nodes that form one cluster and waits until all are Up.</summary>
    public static async Task<QueryNodes> StartAsync(int count, string flowDbConnectionString, string redis, string keyPrefix,
        Func<QueryServiceOptions, QueryServiceOptions>? customize = null)
    {
        var options = new QueryServiceOptions
        {
            FlowDbConnectionString = flowDbConnectionString,
            Ingress = new IngressSettings { Endpoint = "tcp://127.0.0.1:0" },
            NumberOfShards = 10 * count,
        };
        options = customize?.Invoke(options) ?? options;
        var nodes = new QueryNodes();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                builder.Logging.ClearProviders();
                builder.Services.AddAkka(ClusterNodeOptions.DefaultSystemName, (akka, _) =>
                {
                    akka.AddFlowAkkaHocon()
                        .AddHocon(BenchHocon, HoconAddMode.Prepend)
                        .AddFlowAkkaSerialization()
                        .ConfigureFlowAkkaNetwork(new ClusterNodeOptions { RemotePort = 0, JoinSelfWhenNoSeeds = false })
                        .WithRedisPersistence(redis, keyPrefix)
                        .ConfigureQueryService(options);
                });
                var host = builder.Build();
                await host.StartAsync();
                nodes._hosts.Add(host);
            }
            var seed = Akka.Cluster.Cluster.Get(nodes.Systems[0]).SelfAddress;
            foreach (var system in nodes.Systems) Akka.Cluster.Cluster.Get(system).Join(seed);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!nodes.Systems.All(s => Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == count))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{count} in-process nodes did not come Up within 60 s");
                await Task.Delay(50);
            }
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        return nodes;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.AsEnumerable().Reverse())
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(30)); }
            catch (Exception e) { Console.Error.WriteLine($"   node stop: {e.Message}"); }
            finally { host.Dispose(); }
        }
        _hosts.Clear();
    }
}
