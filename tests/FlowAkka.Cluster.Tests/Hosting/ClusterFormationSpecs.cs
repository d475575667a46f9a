using Akka.Actor;
using Akka.Cluster;
using FlowAkka.Cluster.Tests.Support;
using Xunit;

namespace FlowAkka.Cluster.Tests.Hosting;

public sealed class ClusterFormationSpecs
{
    [Fact]
    public async Task Three_nodes_on_loopback_reach_Up_and_shut_down_cleanly()
    {
        var cluster = await InProcessCluster.StartAsync(3);
        try
        {
            await AwaitAsync(() => cluster.Systems.All(s =>
                Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == MemberStatus.Up) == 3));

            var addresses = cluster.Systems.Select(s => Akka.Cluster.Cluster.Get(s).SelfAddress).ToList();
            Assert.Equal(3, addresses.Distinct().Count());
            Assert.All(addresses, a => Assert.NotEqual(0, a.Port));
            Assert.All(addresses, a => Assert.Equal("flowakka", a.System));

            // Graceful shutdown of one node: the others see it removed, and its actor system terminates.
            var leaving = cluster.Systems[2];
            var leavingAddress = Akka.Cluster.Cluster.Get(leaving).SelfAddress;
            await cluster.StopAsync(cluster.Hosts[2]);
            Assert.True(leaving.WhenTerminated.IsCompleted);
            await AwaitAsync(() => cluster.Systems.All(s =>
                Akka.Cluster.Cluster.Get(s).State.Members.All(m => m.Address != leavingAddress)));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
        Assert.Empty(cluster.Systems);
    }

    private static async Task AwaitAsync(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(100);
        }
    }
}
