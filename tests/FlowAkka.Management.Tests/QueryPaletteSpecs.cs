// The query/cache/workers palettes against an in-test IQueryAdministration registered through the host options.
using System.Net;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace FlowAkka.Management.Tests;

public sealed class QueryPaletteSpecs : TestKit, IAsyncLifetime
{
    private readonly SampleQueryAdministration _queries = new();
    private IPEndPoint _endpoint = null!;

    public QueryPaletteSpecs(ITestOutputHelper output) : base("petabridge.cmd.port = 0", "queryspec", output)
    {
    }

    public async Task InitializeAsync() =>
        _endpoint = await PbmHost.Get(Sys).Configure(new PbmHostOptions { QueryAdministration = _queries }).StartAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Query_palettes_are_offered_but_cluster_ones_are_not_on_a_local_system()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Equal(["actor", "log", "query", "cache", "workers"], client.Palettes.Select(p => p.Module));
    }

    [Fact]
    public async Task Query_list_streams_every_query_or_those_in_a_state()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Equal(3, (await client.RunAsync("query list")).Lines.Count);
        var executing = await client.RunAsync("query list --state executing");
        Assert.Equal(["b2 | daily_location | executing"], executing.Lines);
    }

    [Fact]
    public async Task Query_show_cancel_and_reset_reach_the_service()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Contains("state: queued", (await client.RunAsync("query show c3")).Lines);
        Assert.Equal(["Cancelled c3."], (await client.RunAsync("query cancel c3")).Lines);
        Assert.Equal("cancelled", _queries.StateOf("c3"));
        Assert.Contains("only queued or executing", (await client.RunAsync("query cancel a1")).Error);
        Assert.Null((await client.RunAsync("query reset --id a1")).Error);
        Assert.Equal("known", _queries.StateOf("a1"));
        Assert.Equal("Unknown query id 'zz'.", (await client.RunAsync("query show zz")).Error);
        Assert.Contains("Missing mandatory argument 'id'", (await client.RunAsync("query show")).Error);
    }

    [Fact]
    public async Task Cache_and_workers_commands_reach_the_service()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint);
        Assert.Equal(["size: 3 MB | limit: 10 MB", "a1 | score 9.5"], (await client.RunAsync("cache show -n 1")).Lines);
        Assert.Contains("must be an integer", (await client.RunAsync("cache show -n many")).Error);
        Assert.Equal(["would evict: b2"], (await client.RunAsync("cache shrink --dry-run")).Lines);
        Assert.False(_queries.ShrunkForReal);
        Assert.Equal(["evicted: b2"], (await client.RunAsync("cache shrink")).Lines);
        Assert.True(_queries.ShrunkForReal);
        Assert.Contains("busy: 2 | idle: 6 | queued: 0", (await client.RunAsync("workers stats")).Text);
    }
}
