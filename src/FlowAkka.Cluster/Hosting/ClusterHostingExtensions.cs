// Composition of a FlowAkka actor system on the Akka.Hosting builder; the node and the tests use the same methods.
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using FlowAkka.Cluster.Serialization;

namespace FlowAkka.Cluster.Hosting;

public static class ClusterHostingExtensions
{
    /// <summary>The hocon/ files in load order. Each is prepended, so a later file wins over an earlier one, and
    /// everything the code sets afterwards (from environment variables) wins over all of them.</summary>
    public static readonly IReadOnlyList<string> HoconFiles =
        ["flowakka.conf", "persistence.conf", "workers.conf", "management.conf"];

    public static string DefaultHoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static AkkaConfigurationBuilder AddFlowAkkaHocon(this AkkaConfigurationBuilder builder, string? hoconDirectory = null)
    {
        var directory = hoconDirectory ?? DefaultHoconDirectory;
        foreach (var file in HoconFiles)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"FlowAkka configuration file missing: {path}", path);
            builder.AddHoconFile(path, HoconAddMode.Prepend);
        }
        return builder;
    }

    public static AkkaConfigurationBuilder AddFlowAkkaSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(FlowAkkaSerializer.Alias, [typeof(IFlowAkkaMessage)], system => new FlowAkkaSerializer(system));

    /// <summary>Remoting, clustering with seed nodes and the keep-majority Split Brain Resolver.</summary>
    public static AkkaConfigurationBuilder ConfigureFlowAkkaNetwork(this AkkaConfigurationBuilder builder, ClusterNodeOptions options)
    {
        builder.WithRemoting(new RemoteOptions
        {
            HostName = options.Hostname,
            Port = options.RemotePort,
            PublicHostName = options.PublicHostname,
        });
        builder.WithClustering(new ClusterOptions
        {
            SeedNodes = options.SeedNodes.Count > 0 ? options.SeedNodes.ToArray() : null,
            Roles = options.Roles.Count > 0 ? options.Roles.ToArray() : null,
            SplitBrainResolver = SplitBrainResolverOption.Default,
        });
        if (options.SeedNodes.Count == 0 && options.JoinSelfWhenNoSeeds)
        {
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }
        return builder;
    }
}
