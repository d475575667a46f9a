// Shared HOCON for specs: a cluster node on loopback with random remoting and pbm ports.
using Akka.Configuration;

namespace FlowAkka.Management.Tests;

internal static class ClusterSpecConfig
{
    public const string SystemName = "pbmspec";

    public static Config Node(string extra = "") => ConfigurationFactory.ParseString($$"""
        akka.loglevel = INFO
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.app-version = "1.2.3"
        akka.cluster.roles = ["flow"]
        akka.cluster.downing-provider-class = ""
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.coordinated-shutdown.exit-clr = off
        petabridge.cmd.port = 0
        {{extra}}
        """);
}
