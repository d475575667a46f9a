namespace FlowAkka.Protocol;

/// <summary>FlowKit's query states (flowkit-reference §4.1). Wire names are the snake_case strings.</summary>
public enum QueryState
{
    Known,
    Queued,
    Executing,
    Completed,
    Errored,
    Cancelled,
    Resetting,
    ResetFailed,
}

public static class QueryStates
{
    /// <summary>Not a state: the <c>query_state</c> reported for ids nobody knows.</summary>
    public const string Awol = "awol";

    public static IReadOnlyList<QueryState> All { get; } = Enum.GetValues<QueryState>();

    public static string ToWireName(this QueryState state) => state switch
    {
        QueryState.Known => "known",
        QueryState.Queued => "queued",
        QueryState.Executing => "executing",
        QueryState.Completed => "completed",
        QueryState.Errored => "errored",
        QueryState.Cancelled => "cancelled",
        QueryState.Resetting => "resetting",
        QueryState.ResetFailed => "reset_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The phrase FlowKit puts after "Query with id '&lt;id&gt;' " in error messages.</summary>
    public static string Description(this QueryState state) => state switch
    {
        QueryState.Known => "is known, but has not yet been run",
        QueryState.Queued => "is queued",
        QueryState.Executing => "is currently running",
        QueryState.Completed => "is ready",
        QueryState.Errored => "finished with an error",
        QueryState.Cancelled => "was cancelled",
        QueryState.Resetting => "is being reset",
        QueryState.ResetFailed => "error during reset",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParseWireName(string? name, out QueryState state)
    {
        foreach (var candidate in All)
        {
            if (candidate.ToWireName() == name)
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }
}
