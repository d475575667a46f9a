// Two ActorSystems with the same name forming a cluster in-process: cluster and cluster-sharding commands.
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace FlowAkka.Management.Tests;

public sealed class TwoNodeClusterSpecs : TestKit, IAsyncLifetime
{
    private const string ShardingConfig = """
        akka.cluster.sharding.state-store-mode = ddata
        akka.cluster.sharding.remember-entities = off
        """;

    private readonly ActorSystem _second;
    private IPEndPoint _endpoint = null!;
    private IActorRef _region = null!;

    public TwoNodeClusterSpecs(ITestOutputHelper output)
        : base(ClusterSpecConfig.Node(ShardingConfig), ClusterSpecConfig.SystemName, output)
    {
        _second = ActorSystem.Create(ClusterSpecConfig.SystemName, ClusterSpecConfig.Node(ShardingConfig));
    }

    private Address FirstAddress => Cluster.Get(Sys).SelfAddress;

    private Address SecondAddress => Cluster.Get(_second).SelfAddress;

    public async Task InitializeAsync()
    {
        await Cluster.Get(Sys).JoinAsync(FirstAddress);
        await Cluster.Get(_second).JoinAsync(FirstAddress);
        await AwaitAssertAsync(() =>
        {
            foreach (var system in new[] { Sys, _second })
                Assert.Equal(2, Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up));
        }, TimeSpan.FromSeconds(30));

        foreach (var system in new[] { Sys, _second })
        {
            var region = await ClusterSharding.Get(system).StartAsync(
                "orders", Props.Create(() => new Order()), ClusterShardingSettings.Create(system), new OrderExtractor());
            if (system == Sys)
                _region = region;
        }

        _endpoint = await PbmHost.Get(Sys).StartAsync();
    }

    public Task DisposeAsync()
    {
        Shutdown(_second);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Cluster_show_lists_both_members()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var show = await client.RunAsync("cluster show");
        Assert.Equal("Count: 2 nodes", show.Lines[^1]);
        Assert.Contains($"{FirstAddress} | [flow] | up |  | 1.2.3", show.Lines);
        Assert.Contains($"{SecondAddress} | [flow] | up |  | 1.2.3", show.Lines);
        // The leader is the first Up member in address order.
        var leader = new[] { FirstAddress, SecondAddress }.OrderBy(a => a, Member.AddressOrdering).First();
        Assert.Equal([leader.ToString()], (await client.RunAsync("cluster leader")).Lines);
        Assert.Equal([$"{FirstAddress} | [flow] | up |  | 1.2.3"], (await client.RunAsync("cluster status")).Lines);
    }

    [Fact]
    public async Task Cluster_leave_of_the_second_node_makes_it_leave()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var leave = await client.RunAsync($"cluster leave -a {SecondAddress}");
        Assert.Null(leave.Error);

        // A leaving member is removed and its system shuts itself down by coordinated shutdown.
        await _second.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(60));
        await AwaitAssertAsync(async () =>
            Assert.Equal("Count: 1 nodes", (await client.RunAsync("cluster show")).Lines[^1]), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Sharding_commands_report_regions_shards_and_entities()
    {
        var ids = Enumerable.Range(1, 8).Select(i => $"order-{i}").ToList();
        foreach (var id in ids)
            Assert.Equal($"ok {id}", await _region.Ask<string>(new OrderMessage(id, id), TimeSpan.FromSeconds(20)));

        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Equal(["orders"], (await client.RunAsync("cluster-sharding regions")).Lines);

        var stats = await client.RunAsync("cluster-sharding region-stats -r orders");
        Assert.Null(stats.Error);
        Assert.Equal(2, stats.Lines.Count);
        Assert.Single(stats.Lines, l => l.Contains(" [coordinator](orders)"));
        Assert.Contains(stats.Lines, l => l.StartsWith($"{FirstAddress} | [flow] | up |"));
        Assert.Contains(stats.Lines, l => l.StartsWith($"{SecondAddress} | [flow] | up |"));
        var entities = stats.Lines.Sum(l => int.Parse(l[(l.LastIndexOf("entities: ", StringComparison.Ordinal) + 10)..]));
        Assert.Equal(ids.Count, entities);

        var local = await client.RunAsync("cluster-sharding shard-stats -r orders");
        Assert.StartsWith("Total: ", local.Lines[^1]);

        var located = await client.RunAsync("cluster-sharding locate -r orders -i order-3");
        Assert.Null(located.Error);
        Assert.StartsWith($"entity order-3 | shard {new OrderExtractor().ShardOf("order-3")} | region ", located.Lines[0]);

        var unknown = await client.RunAsync("cluster-sharding region-stats -r nope");
        Assert.Contains("is not started on this node", unknown.Error);
    }

    private sealed record OrderMessage(string Id, string Text);

    private sealed class OrderExtractor() : HashCodeMessageExtractor(10)
    {
        // StartEntity (used by GetEntityLocation) is handled by the base class.
        public override string? EntityId(object message) => message is OrderMessage m ? m.Id : null;

        public override object? EntityMessage(object message) => message is OrderMessage m ? m.Text : message;

        public string ShardOf(string entityId) => ShardId(entityId, null);
    }

    private sealed class Order : ReceiveActor
    {
        public Order() => Receive<string>(text => Sender.Tell($"ok {text}"));
    }
}
