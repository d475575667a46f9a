// The host on a single-node cluster: handshake, built-in palettes, and the actor/log/cluster commands over real TCP.
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace FlowAkka.Management.Tests;

public sealed class SingleNodeHostSpecs : TestKit, IAsyncLifetime
{
    private IPEndPoint _endpoint = null!;

    public SingleNodeHostSpecs(ITestOutputHelper output) : base(ClusterSpecConfig.Node(), ClusterSpecConfig.SystemName, output)
    {
    }

    public async Task InitializeAsync()
    {
        var cluster = Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress);
        Sys.ActorOf(Props.Create(() => new Parent()), "orders");
        _endpoint = await PbmHost.Get(Sys).StartAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Client_downloads_the_palettes_on_connect()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Equal("palettes", client.Handshake!.Type);
        var modules = client.Palettes.Select(p => p.Module).ToList();
        Assert.Equal(["actor", "log", "cluster", "cluster-sharding"], modules);
        // No IQueryAdministration registered: its palettes are not offered.
        Assert.DoesNotContain("query", modules);
        var hierarchy = client.Palettes[0].Commands.Single(c => c.Name == "hierarchy");
        Assert.Contains("-d", hierarchy.Arguments.Single(a => a.Name == "depth").Switches);
    }

    [Fact]
    public async Task Actor_system_prints_the_system_address()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var run = await client.RunAsync("actor system");
        Assert.Null(run.Error);
        Assert.Equal([Cluster.Get(Sys).SelfAddress.ToString()], run.Lines);
    }

    [Fact]
    public async Task Actor_hierarchy_respects_depth()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var run = await client.RunAsync("actor hierarchy -d 2");
        Assert.Null(run.Error);
        Assert.Contains("/user", run.Lines);
        Assert.Contains("/user/orders", run.Lines);
        Assert.DoesNotContain("/user/orders/line-1", run.Lines);

        var deeper = await client.RunAsync("actor hierarchy -s /user/orders -d 1");
        Assert.Equal(["/user/orders/line-1"], deeper.Lines);

        var missing = await client.RunAsync("actor hierarchy -s /user/nobody");
        Assert.Contains("No actor found", missing.Error);
    }

    [Fact]
    public async Task Cluster_show_status_and_leader_on_a_single_node()
    {
        var self = Cluster.Get(Sys).SelfAddress;
        var expectedLine = $"{self} | [flow] | up |  | 1.2.3";
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);

        var show = await client.RunAsync("cluster show");
        Assert.Equal([expectedLine, "Count: 1 nodes"], show.Lines);
        Assert.Equal([expectedLine], (await client.RunAsync("cluster status")).Lines);
        Assert.Equal([self.ToString()], (await client.RunAsync("cluster leader")).Lines);
    }

    [Fact]
    public async Task Cluster_commands_reject_bad_addresses_with_an_error()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var run = await client.RunAsync("cluster down -a not-an-address");
        Assert.Contains("is not a valid node address", run.Error);
        var notMember = await client.RunAsync("cluster leave -a akka.tcp://pbmspec@127.0.0.1:1");
        Assert.Contains("is not a member", notMember.Error);
        // The connection still works after errors.
        Assert.Null((await client.RunAsync("actor system")).Error);
    }

    [Fact]
    public async Task Log_peek_returns_a_logged_line_and_log_tail_streams_until_cancelled()
    {
        var marker = $"pbm-marker-{Guid.NewGuid():N}";
        Sys.Log.Warning("order {0} stuck", marker);
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        await AwaitAssertAsync(async () =>
        {
            var run = await client.RunAsync("log peek -c 500 -l warning");
            Assert.Contains(run.Lines, l => l.Contains($"order {marker} stuck") && l.Contains("[WARNING]"));
        }, TimeSpan.FromSeconds(10));

        await client.StartStreamAsync("log tail");
        // The handler subscribes asynchronously: keep logging until the tail shows our line.
        var live = $"live-{Guid.NewGuid():N}";
        using var ticker = new CancellationTokenSource();
        var logging = Task.Run(async () =>
        {
            while (!ticker.IsCancellationRequested)
            {
                Sys.Log.Info(live);
                await Task.Delay(100);
            }
        });
        await client.ReadUntilAsync(l => l.Contains(live));
        await ticker.CancelAsync();
        await logging;
        Assert.Equal("end", await client.CancelAsync());
        Assert.Null((await client.RunAsync("actor system")).Error);
    }

    [Fact]
    public async Task Cluster_tail_streams_membership_until_cancelled()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        await client.StartStreamAsync("cluster tail");
        // The initial state is replayed as events, so our own Up member shows up.
        var up = await client.ReadUntilAsync(l => l.Contains("member up"));
        Assert.Contains(Cluster.Get(Sys).SelfAddress.ToString(), up);
        Assert.Equal("end", await client.CancelAsync());
    }

    [Fact]
    public async Task Unknown_commands_return_an_error_with_a_help_hint()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        var run = await client.RunAsync("frobnicate now");
        Assert.Equal("Unknown command 'frobnicate'. Type `help` to see the available commands.", run.Error);
    }

    [Fact]
    public async Task Coordinated_shutdown_unbinds_the_listener()
    {
        await CoordinatedShutdown.Get(Sys).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await AwaitAssertAsync(async () =>
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => tcp.ConnectAsync(_endpoint.Address, _endpoint.Port));
        }, TimeSpan.FromSeconds(15));
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Context.ActorOf(Props.Create(() => new Child()), "line-1");
        }
    }

    private sealed class Child : ReceiveActor;
}
