// The per-node database worker pool's protocol. These messages never leave the node.
using FlowAkka.FlowDb.Cache;
using Akka.Actor;
using FlowAkka.Cluster.Serialization;

namespace FlowAkka.Cluster.Database;

/// <summary>Store one query's result; the worker answers <paramref name="ReplyTo"/> with
/// <see cref="ExecutionSucceeded"/> or <see cref="ExecutionFailed"/>.</summary>
public sealed record ExecuteQuery(CacheWrite Write, IActorRef ReplyTo);

public sealed record ExecutionSucceeded(string QueryId, double ComputeTimeMs, bool AlreadyStored);

/// <summary><paramref name="Transient"/>: the failure was the environment's (connection, timeout, cancellation,
/// shutdown), not the SQL's, so running the query again may succeed.</summary>
public sealed record ExecutionFailed(string QueryId, string Message, bool Transient);

/// <summary>Asked of every node's pool by `pbm workers stats`, so it crosses nodes.</summary>
[WireManifest("w-stats?")]
public sealed record GetWorkerStats : IFlowAkkaMessage
{
    public static readonly GetWorkerStats Instance = new();
}

[WireManifest("w-stats")]
public sealed record WorkerStats(string Node, int PoolSize, int Busy, int Idle, int Queued, long Completed, long Failed,
    bool DatabaseReachable) : IFlowAkkaMessage;

/// <summary>Worker → pool: free again (the pool's idle list, stats and circuit breaker).</summary>
internal sealed record WorkerFinished(string QueryId, bool Succeeded, bool DatabaseUnreachable);
