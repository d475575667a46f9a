namespace FlowAkka.Cluster.Hosting;

/// <summary>Where this node listens for Akka remoting and whom it joins.</summary>
public sealed record ClusterNodeOptions
{
    public const string DefaultSystemName = "flowakka";

    public string SystemName { get; init; } = DefaultSystemName;

    /// <summary>The address remoting binds to (FLOWAKKA_HOSTNAME).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The address other nodes use to reach this one, when it differs (containers behind NAT).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Remoting port (FLOWAKKA_REMOTE_PORT); 0 picks a free one (tests).</summary>
    public int RemotePort { get; init; } = 4053;

    /// <summary>Seed node addresses (FLOWAKKA_SEED_NODES). Empty: the node forms a cluster of its own, unless
    /// <see cref="JoinSelfWhenNoSeeds"/> is off and the caller joins it explicitly.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    public bool JoinSelfWhenNoSeeds { get; init; } = true;

    public IReadOnlyList<string> Roles { get; init; } = [];
}
