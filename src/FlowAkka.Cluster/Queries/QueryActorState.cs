using System.Collections.Immutable;
using System.Text.Json.Nodes;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Queries;

/// <summary>What a QueryActor has persisted, rebuilt by replaying its events; changed only by <see cref="Apply"/>.</summary>
public sealed record QueryActorState
{
    public static readonly QueryActorState Unregistered = new();

    public bool Registered { get; init; }
    public string? QueryKind { get; init; }
    public JsonObject? Parameters { get; init; }
    public QueryState State { get; init; } = QueryState.Known;
    public ImmutableList<QueryStateChange> History { get; init; } = [];
    public double? ComputeTimeMs { get; init; }
    public string? Error { get; init; }
    public bool TransientError { get; init; }

    /// <summary>A final state: nothing runs until a client asks again.</summary>
    public bool IsSettled => State is QueryState.Known or QueryState.Completed or QueryState.Errored
        or QueryState.Cancelled or QueryState.ResetFailed;

    public QueryActorState Apply(IQueryEvent e) => e switch
    {
        QueryRegistered r => this with
        {
            Registered = true, QueryKind = r.QueryKind, Parameters = r.Parameters, State = QueryState.Known,
            History = History.Add(new QueryStateChange(QueryState.Known, r.At, null)),
        },
        QueryQueued q => Move(QueryState.Queued, q.At) with { Error = null, TransientError = false },
        QueryExecutionStarted x => Move(QueryState.Executing, x.At, x.Node),
        QueryCompleted c => Move(QueryState.Completed, c.At) with { ComputeTimeMs = c.ComputeTimeMs },
        QueryErrored err => Move(QueryState.Errored, err.At) with { Error = err.Message, TransientError = err.Transient },
        QueryCancelled c => Move(QueryState.Cancelled, c.At),
        QueryResetStarted r => Move(QueryState.Resetting, r.At),
        QueryResetFinished r => Move(QueryState.Known, r.At) with { ComputeTimeMs = null, Error = null, TransientError = false },
        QueryResetFailed f => Move(QueryState.ResetFailed, f.At) with { Error = f.Message },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown query event"),
    };

    private QueryActorState Move(QueryState state, DateTimeOffset at, string? node = null) =>
        this with { State = state, History = History.Add(new QueryStateChange(state, at, node)) };
}
