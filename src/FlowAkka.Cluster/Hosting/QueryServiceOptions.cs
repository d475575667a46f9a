using FlowAkka.Cluster.Actions;
using FlowAkka.Cluster.Cache;
using FlowAkka.Cluster.Database;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;

namespace FlowAkka.Cluster.Hosting;

/// <summary>Everything the query service of one node needs: FlowDB, the DB pool, the query actors, the ingress.</summary>
public sealed record QueryServiceOptions
{
    public required string FlowDbConnectionString { get; init; }
    public DbPoolSettings DbPool { get; init; } = DbPoolSettings.Default;
    public QueryServiceSettings Queries { get; init; } = new();
    public ActionHandlerSettings Actions { get; init; } = new();
    public CacheJanitorSettings CacheJanitor { get; init; } = new();

    /// <summary>Null: no ZMQ socket on this node (tests that talk to the actors directly).</summary>
    public IngressSettings? Ingress { get; init; } = new();

    public int NumberOfShards { get; init; } = QueryMessageExtractor.DefaultShards;

    /// <summary>Create the cache schema at start when missing (idempotent, safe for many nodes at once).</summary>
    public bool EnsureCacheSchema { get; init; } = true;
}

/// <summary>ActorRegistry keys.</summary>
public sealed class QueryRegionKey;

public sealed class DbPoolKey;

public sealed class ActionHandlerKey;

public sealed class IngressKey;

public sealed class CacheJanitorKey;
