namespace FlowAkka.Cluster.Queries;

public sealed record QueryServiceSettings
{
    /// <summary>False when FLOWMACHINE_SERVER_DISABLE_DEPENDENCY_CACHING is set: only top-level queries are stored,
    /// their sub-queries run inline.</summary>
    public bool DependencyCaching { get; init; } = true;

    /// <summary>Upper bound of one CREATE TABLE AS (PostgreSQL's statement_timeout).</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a QueryActor in a final state stays in memory after its last message.</summary>
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>While waiting on dependencies, how often to re-send EnsureStored: a liveness check that wakes a
    /// dependency whose node died (its completion itself is pushed, not polled).</summary>
    public TimeSpan DependencyRecheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a statement that failed for a transient reason (connection dropped, FlowDB restarting)
    /// is run again before the query is marked errored; a later run_query still retries an errored one.</summary>
    public int ExecutionRetries { get; init; } = 3;

    /// <summary>Pause before the first such retry; it doubles with each further one.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of asks between QueryActors (reset cascades).</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
