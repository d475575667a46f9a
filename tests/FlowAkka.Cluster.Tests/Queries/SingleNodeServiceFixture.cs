using FlowAkka.Cluster.Tests.Support;
using Xunit;

namespace FlowAkka.Cluster.Tests.Queries;

/// <summary>One FlowDB and one node for a whole test class; each test uses specs of its own.</summary>
public sealed class SingleNodeServiceFixture : IAsyncLifetime
{
    public FlowDbTestDatabase Db { get; } = new();

    public QueryServiceCluster Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Service = await QueryServiceCluster.StartAsync(Db);
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Db.DisposeAsync();
    }
}
