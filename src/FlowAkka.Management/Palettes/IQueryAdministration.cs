// The service boundary behind the `query`, `cache` and `workers` palettes; the node implements it over its query service.
namespace FlowAkka.Management;

/// <summary>
/// Administration of the query service, as text for pbm. Each method returns the lines to print or
/// <see cref="CommandResult.Failed"/> with a user-facing message (unknown id, bad state, ...); exceptions are
/// reported as errors too. Implementations must be thread-safe: calls come from any connection's handler.
/// </summary>
public interface IQueryAdministration
{
    /// <summary>`query list [--state STATE]`: one line per query (id, kind, state, ...), optionally only those in <paramref name="state"/>.</summary>
    IAsyncEnumerable<string> ListQueriesAsync(string? state, CancellationToken ct);

    /// <summary>`query show ID`: spec, state history, timings, dependencies.</summary>
    Task<CommandResult> ShowQueryAsync(string queryId, CancellationToken ct);

    /// <summary>`query cancel ID`.</summary>
    Task<CommandResult> CancelQueryAsync(string queryId, CancellationToken ct);

    /// <summary>`query reset ID`: drop the cached result so the query can run again.</summary>
    Task<CommandResult> ResetQueryAsync(string queryId, CancellationToken ct);

    /// <summary>`cache show [-n TOP]`: size, limit and the top <paramref name="top"/> entries by score.</summary>
    Task<CommandResult> ShowCacheAsync(int top, CancellationToken ct);

    /// <summary>`cache shrink [--dry-run]`: evict to the limit (or only report what would go).</summary>
    Task<CommandResult> ShrinkCacheAsync(bool dryRun, CancellationToken ct);

    /// <summary>`workers stats`: busy, idle and queued per node.</summary>
    Task<CommandResult> WorkerStatsAsync(CancellationToken ct);
}
