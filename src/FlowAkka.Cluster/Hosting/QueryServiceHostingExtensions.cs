// Composition of the query service on the Akka.Hosting builder (the node and the tests call this same method).
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using FlowAkka.Cluster.Actions;
using FlowAkka.Cluster.Cache;
using FlowAkka.Cluster.Database;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;
using FlowAkka.FlowDb.Cache;
using FlowAkka.FlowDb.Reads;
using FlowAkka.FlowDb.Schema;
using Npgsql;

namespace FlowAkka.Cluster.Hosting;

public static class QueryServiceHostingExtensions
{
    public const string QueryRegionName = "query";

    public static AkkaConfigurationBuilder ConfigureQueryService(this AkkaConfigurationBuilder builder, QueryServiceOptions options)
    {
        // One data source per node: the workers' connections plus a few for light reads (touch, dates).
        var dataSource = new NpgsqlDataSourceBuilder(options.FlowDbConnectionString).Build();
        var cache = new CacheStore(dataSource);
        var reads = new FlowDbReads(dataSource);

        if (options.EnsureCacheSchema)
        {
            builder.AddStartup(async (system, _) =>
            {
                await CacheSchema.EnsureAsync(dataSource);
            });
        }

        // The pool size comes from the options (DB_CONNECTION_POOL_SIZE), whatever hocon/workers.conf says.
        builder.AddHocon($"akka.actor.deployment.\"/{DbPool.Name}/{DbPool.WorkersName}\".nr-of-instances = {options.DbPool.PoolSize}",
            HoconAddMode.Prepend);

        builder.WithActors((system, registry) =>
        {
            var pool = system.ActorOf(DbPool.Props(cache, options.DbPool), DbPool.Name);
            registry.Register<DbPoolKey>(pool);
        });

        builder.WithShardRegion<QueryRegionKey>(QueryRegionName,
            (system, registry) =>
            {
                var node = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
                var context = new QueryActorContext(
                    () => registry.Get<QueryRegionKey>(), registry.Get<DbPoolKey>(), cache, options.Queries, node);
                return queryId => QueryActor.Props(queryId, context);
            },
            new QueryMessageExtractor(options.NumberOfShards),
            new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                // QueryActors passivate themselves once settled; an executing query must never be passivated.
                ShouldPassivateIdleEntities = false,
            });

        builder.WithSingleton<CacheJanitorKey>(CacheJanitor.Name,
            (_, registry, _) => CacheJanitor.Props(cache, () => registry.Get<QueryRegionKey>(), options.CacheJanitor),
            new ClusterSingletonOptions(), createProxyToo: true);

        builder.WithActors((system, registry) =>
        {
            var handler = system.ActorOf(ActionHandler.Props(registry.Get<QueryRegionKey>(), reads, options.Actions), ActionHandler.Name);
            registry.Register<ActionHandlerKey>(handler);
            if (options.Ingress is { } ingressSettings)
            {
                var ingress = IngressSetup.Start(system, handler, ingressSettings);
                registry.Register<IngressKey>(ingress.Actor);
                system.Log.Info("FlowKit ZMQ endpoint bound to {0}", ingress.Endpoint);
                IngressEndpoints.Register(system, ingress);
            }
        });

        builder.AddStartup((system, _) =>
        {
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseActorSystemTerminate, "flowdb-dispose", async () =>
            {
                await dataSource.DisposeAsync();
                return Akka.Done.Instance;
            });
        });
        return builder;
    }
}

/// <summary>The ingress handles of a system, for tests and tools that need the bound port.</summary>
public static class IngressEndpoints
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, List<IngressHandle>> Handles = new();

    internal static void Register(ActorSystem system, IngressHandle handle)
    {
        lock (Handles) Handles.GetOrCreateValue(system).Add(handle);
    }

    public static IReadOnlyList<IngressHandle> Of(ActorSystem system)
    {
        lock (Handles) return Handles.TryGetValue(system, out var list) ? list.ToList() : [];
    }
}
