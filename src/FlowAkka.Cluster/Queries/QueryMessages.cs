// What the query service sends to QueryActors (through the shard region) and what they answer.
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Serialization;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Queries;

/// <summary>Every message addressed to one QueryActor carries its query id (the entity id).</summary>
public interface IWithQueryId
{
    string QueryId { get; }
}

/// <summary>FlowKit's progress of a query's dependency tree: unstored queries, and how many are queued/running.</summary>
public sealed record QueryProgress(int Eligible, int Queued, int Running)
{
    public static readonly QueryProgress None = new(0, 0, 0);

    public JsonObject ToJson() => new() { ["eligible"] = Eligible, ["queued"] = Queued, ["running"] = Running };

    /// <summary>Counts the distinct unfinished queries of a tree (a diamond's shared query counts once).</summary>
    public static QueryProgress Of(IReadOnlyDictionary<string, QueryState> pending) => new(
        pending.Count,
        pending.Values.Count(s => s == QueryState.Queued),
        pending.Values.Count(s => s == QueryState.Executing));
}

// ---- commands ------------------------------------------------------------------------------------------------

/// <summary>run_query: register the query if it is new and start it. <paramref name="Parameters"/> is the exact
/// spec the client sent (get_query_params returns it unchanged).</summary>
[WireManifest("q-run")]
public sealed record RunQuery(string QueryId, JsonObject Parameters) : IWithQueryId, IFlowAkkaMessage;

/// <summary>A parent needs this query stored: start it when it is new or re-runnable, and tell
/// <paramref name="Subscriber"/> when it finishes. A <paramref name="Parameters"/> of null means the query must
/// already be known (a subscriber_subset given by id), so an unknown id fails the parent.</summary>
[WireManifest("q-ensure")]
public sealed record EnsureStored(string QueryId, JsonObject? Parameters, IActorRef Subscriber) : IWithQueryId, IFlowAkkaMessage;

[WireManifest("q-poll")]
public sealed record PollQuery(string QueryId) : IWithQueryId, IFlowAkkaMessage;

[WireManifest("q-kind")]
public sealed record GetQueryKind(string QueryId) : IWithQueryId, IFlowAkkaMessage;

[WireManifest("q-params")]
public sealed record GetQueryParams(string QueryId) : IWithQueryId, IFlowAkkaMessage;

/// <summary>get_sql_for_query_result (<paramref name="Geo"/> false) or get_geo_sql_for_query_result (true).</summary>
[WireManifest("q-sql")]
public sealed record GetResultSql(string QueryId, bool Geo) : IWithQueryId, IFlowAkkaMessage;

[WireManifest("q-cancel")]
public sealed record CancelQuery(string QueryId) : IWithQueryId, IFlowAkkaMessage;

/// <summary>reset_query: drop the cache table (dependants first, unless <paramref name="Cascade"/> is off as in the
/// cache janitor's shrink, FlowKit's invalidate_db_cache(cascade=False)) and return to known.</summary>
[WireManifest("q-reset")]
public sealed record ResetQuery(string QueryId, bool Cascade = true) : IWithQueryId, IFlowAkkaMessage;

/// <summary>Full state for `pbm query show`.</summary>
[WireManifest("q-describe")]
public sealed record DescribeQuery(string QueryId) : IWithQueryId, IFlowAkkaMessage;

/// <summary>Wakes an entity so that its recovery can finish interrupted work; answers nothing.</summary>
[WireManifest("q-wake")]
public sealed record WakeQuery(string QueryId) : IWithQueryId, IFlowAkkaMessage;

// ---- replies ---------------------------------------------------------------------------------------------------

/// <summary>The answer to every command above except EnsureStored and WakeQuery: the state of the query
/// when the command took effect, or <see cref="Known"/> false for an id the cluster has never seen (awol).</summary>
[WireManifest("q-status")]
public sealed record QueryStatus(
    string QueryId,
    bool Known,
    string? QueryKind,
    QueryState State,
    QueryProgress Progress,
    JsonObject? Parameters = null,
    string? Sql = null,
    string? AggregationUnit = null,
    string? Error = null) : IFlowAkkaMessage
{
    /// <summary><see cref="Error"/> when the query's new state could not be stored (Redis unreachable).</summary>
    public const string PersistenceUnavailable = "persistence-unavailable";

    /// <summary><see cref="Error"/> when a geo SQL was asked of a query without a spatial unit.</summary>
    public const string NoGeoJson = "no-geojson";
}

/// <summary>Pushed to subscribers whenever the query's tree changes: its unfinished part (empty when stored)
/// and, once it is final, whether it ended stored.</summary>
[WireManifest("q-changed")]
public sealed record QueryChanged(
    string QueryId,
    QueryState State,
    ImmutableDictionary<string, QueryState> Pending,
    string? Error = null,
    bool Transient = false) : IFlowAkkaMessage;

/// <summary>Answer to <see cref="DescribeQuery"/>.</summary>
[WireManifest("q-description")]
public sealed record QueryDescription(
    string QueryId,
    bool Known,
    string? QueryKind,
    QueryState State,
    JsonObject? Parameters,
    ImmutableList<QueryStateChange> History,
    ImmutableList<string> Dependencies,
    double? ComputeTimeMs,
    string? Error) : IFlowAkkaMessage;

public sealed record QueryStateChange(QueryState State, DateTimeOffset At, string? Node);
