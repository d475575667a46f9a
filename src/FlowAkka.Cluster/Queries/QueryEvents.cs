// The persisted lifecycle of one query: FlowKit's state machine, one event per transition.
// Manifests are stored in Redis: never rename or reuse them.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Serialization;

namespace FlowAkka.Cluster.Queries;

public interface IQueryEvent : IFlowAkkaMessage
{
    DateTimeOffset At { get; }
}

/// <summary>First run_query (or a parent's EnsureStored): the exact params and the kind.</summary>
[WireManifest("e-registered")]
public sealed record QueryRegistered(string QueryId, string QueryKind, JsonObject Parameters, DateTimeOffset At) : IQueryEvent;

/// <summary>known → queued.</summary>
[WireManifest("e-queued")]
public sealed record QueryQueued(DateTimeOffset At) : IQueryEvent;

/// <summary>queued → executing: the SQL was handed to a DB worker on <paramref name="Node"/>.</summary>
[WireManifest("e-executing")]
public sealed record QueryExecutionStarted(string Node, DateTimeOffset At) : IQueryEvent;

/// <summary>executing → completed: the cache table and its metadata row were committed.</summary>
[WireManifest("e-completed")]
public sealed record QueryCompleted(double ComputeTimeMs, DateTimeOffset At) : IQueryEvent;

/// <summary>executing (or queued, when a dependency failed) → errored. Transient failures (connection lost,
/// timeout, shutdown) are retried by a later run_query; SQL errors are not.</summary>
[WireManifest("e-errored")]
public sealed record QueryErrored(string Message, bool Transient, DateTimeOffset At) : IQueryEvent;

/// <summary>queued/executing → cancelled.</summary>
[WireManifest("e-cancelled")]
public sealed record QueryCancelled(DateTimeOffset At) : IQueryEvent;

/// <summary>completed/errored/cancelled/reset_failed → resetting.</summary>
[WireManifest("e-resetting")]
public sealed record QueryResetStarted(DateTimeOffset At) : IQueryEvent;

/// <summary>resetting → known: the table, its row and every dependant's are gone.</summary>
[WireManifest("e-reset")]
public sealed record QueryResetFinished(DateTimeOffset At) : IQueryEvent;

/// <summary>resetting → reset_failed.</summary>
[WireManifest("e-reset-failed")]
public sealed record QueryResetFailed(string Message, DateTimeOffset At) : IQueryEvent;
