// WithRedisPersistence(...) on a real generic host: the node's composition path, end to end against the real Redis.
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FlowAkka.Persistence.Redis.Hosting;
using FlowAkka.Persistence.Redis.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class RedisPersistenceHostingSpecs : IAsyncLifetime
{
    private static readonly string Prefix = RedisEndpoint.UniquePrefix(nameof(RedisPersistenceHostingSpecs));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => RedisEndpoint.DeleteKeysAsync(Prefix);

    private static async Task<IHost> StartHostAsync(Action<AkkaConfigurationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("hosting-spec", (akka, _) => configure(akka));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task Persists_recovers_and_queries_through_the_hosting_extension()
    {
        var prefix = Prefix + "simple:";
        using var host = await StartHostAsync(b => b.WithRedisPersistence(RedisEndpoint.ConfigurationString, prefix));
        var system = host.Services.GetRequiredService<ActorSystem>();
        var config = system.Settings.Config;
        Assert.Equal("akka.persistence.journal.redis", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.redis", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal(prefix, config.GetString("akka.persistence.journal.redis.key-prefix"));

        var writer = system.ActorOf(EventWriter.Props("hosted-1"));
        Assert.Equal("e-1-done", await writer.Ask<string>("e-1", TimeSpan.FromSeconds(15)));

        await using (var mux = await ConnectionMultiplexer.ConnectAsync(RedisEndpoint.ConfigurationString))
        {
            Assert.Equal(1, await mux.GetDatabase().SortedSetLengthAsync(new KeyLayout(prefix).Events("hosted-1")));
            Assert.True(await mux.GetDatabase().SetContainsAsync(new KeyLayout(prefix).PersistenceIds, "hosted-1"));
        }

        var queries = PersistenceQuery.Get(system).ReadJournalFor<RedisReadJournal>(RedisReadJournal.Identifier);
        var events = await queries.CurrentEventsByPersistenceId("hosted-1", 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
        Assert.Equal("e-1", Assert.Single(events).Event);
        await host.StopAsync();
    }

    [Fact]
    public async Task Options_overload_names_the_plugins_and_points_the_read_journal_at_the_journal()
    {
        var prefix = Prefix + "options:";
        var journal = new RedisJournalOptions(isDefaultPlugin: true, identifier: "redis-queries")
        {
            ConfigurationString = RedisEndpoint.ConfigurationString, KeyPrefix = prefix, Database = 0, CallTimeout = TimeSpan.FromSeconds(3),
        };
        var snapshots = new RedisSnapshotOptions(isDefaultPlugin: true, identifier: "redis-queries")
        {
            ConfigurationString = RedisEndpoint.ConfigurationString, KeyPrefix = prefix,
        };
        using var host = await StartHostAsync(b => b.WithRedisPersistence(journal, snapshots));
        var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
        Assert.Equal("akka.persistence.journal.redis-queries", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.journal.redis-queries", config.GetString("akka.persistence.query.journal.redis.write-plugin"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("akka.persistence.journal.redis-queries.call-timeout"));
        Assert.Equal("FlowAkka.Persistence.Redis.Journal.RedisJournal, FlowAkka.Persistence.Redis",
            config.GetString("akka.persistence.journal.redis-queries.class"));

        var writer = host.Services.GetRequiredService<ActorSystem>().ActorOf(EventWriter.Props("hosted-2"));
        Assert.Equal("e-1-done", await writer.Ask<string>("e-1", TimeSpan.FromSeconds(15)));
        await host.StopAsync();
    }

    [Fact]
    public void Extension_injects_the_reference_configuration()
    {
        using var system = ActorSystem.Create("extension-spec", ConfigurationFactory.Empty);
        Assert.False(system.Settings.Config.HasPath("akka.persistence.journal.redis.class"));
        RedisPersistence.Get(system);
        Assert.Equal("FlowAkka.Persistence.Redis.Journal.RedisJournal, FlowAkka.Persistence.Redis",
            system.Settings.Config.GetString("akka.persistence.journal.redis.class"));
        Assert.Equal("FlowAkka.Persistence.Redis.Query.RedisReadJournalProvider, FlowAkka.Persistence.Redis",
            system.Settings.Config.GetString("akka.persistence.query.journal.redis.class"));
    }
}
