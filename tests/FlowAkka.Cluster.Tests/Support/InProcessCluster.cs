// N FlowAkka actor systems in one process on loopback (port 0), composed with the node's own hosting extensions.
using Akka.Actor;
using Akka.Hosting;
using FlowAkka.Cluster.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowAkka.Cluster.Tests.Support;

public sealed class InProcessCluster : IAsyncDisposable
{
    /// <summary>Test timings: failures are detected and resolved in seconds instead of the production 20 s.</summary>
    public const string FastFailureHocon = """
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.down-removal-margin = 1s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.failure-detector.threshold = 8.0
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.actor.serialization-settings.allow-unregistered-types = false
        """;

    private readonly List<IHost> _hosts = [];

    public IReadOnlyList<IHost> Hosts => _hosts;

    public IReadOnlyList<ActorSystem> Systems => _hosts.Select(h => h.Services.GetRequiredService<ActorSystem>()).ToList();

    /// <summary>Starts <paramref name="count"/> nodes; the first joins itself, the others join the first.</summary>
    public static async Task<InProcessCluster> StartAsync(int count, Action<AkkaConfigurationBuilder, int>? configure = null,
        string extraHocon = "")
    {
        var cluster = new InProcessCluster();
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Services.AddAkka(ClusterNodeOptions.DefaultSystemName, (akka, _) =>
            {
                akka.AddFlowAkkaHocon()
                    .AddHocon(FastFailureHocon + "\n" + extraHocon, HoconAddMode.Prepend)
                    .AddFlowAkkaSerialization()
                    .ConfigureFlowAkkaNetwork(new ClusterNodeOptions { RemotePort = 0, JoinSelfWhenNoSeeds = false });
                configure?.Invoke(akka, index);
            });
            var host = builder.Build();
            await host.StartAsync();
            cluster._hosts.Add(host);
        }

        var seed = Akka.Cluster.Cluster.Get(cluster.Systems[0]).SelfAddress;
        foreach (var system in cluster.Systems) Akka.Cluster.Cluster.Get(system).Join(seed);
        return cluster;
    }

    public async Task StopAsync(IHost host)
    {
        await host.StopAsync(TimeSpan.FromSeconds(30));
        host.Dispose();
        _hosts.Remove(host);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.AsEnumerable().Reverse().ToList())
        {
            try { await host.StopAsync(TimeSpan.FromSeconds(30)); }
            finally { host.Dispose(); }
        }
        _hosts.Clear();
    }
}
