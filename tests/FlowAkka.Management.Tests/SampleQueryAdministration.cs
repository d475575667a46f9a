// A small in-test IQueryAdministration (our own service boundary): a fixed set of queries with states.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace FlowAkka.Management.Tests;

internal sealed class SampleQueryAdministration : IQueryAdministration
{
    private readonly ConcurrentDictionary<string, string> _states = new()
    {
        ["a1"] = "completed",
        ["b2"] = "executing",
        ["c3"] = "queued",
    };

    public bool ShrunkForReal { get; private set; }

    public string StateOf(string id) => _states[id];

    public async IAsyncEnumerable<string> ListQueriesAsync(string? state, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var (id, s) in _states.OrderBy(kv => kv.Key))
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            if (state is null || s == state)
                yield return $"{id} | daily_location | {s}";
        }
    }

    public Task<CommandResult> ShowQueryAsync(string queryId, CancellationToken ct) =>
        Task.FromResult(_states.TryGetValue(queryId, out var s)
            ? CommandResult.Ok($"query {queryId}", "kind: daily_location", $"state: {s}", "dependencies: none")
            : CommandResult.Failed($"Unknown query id '{queryId}'."));

    public Task<CommandResult> CancelQueryAsync(string queryId, CancellationToken ct)
    {
        if (!_states.TryGetValue(queryId, out var s))
            return Task.FromResult(CommandResult.Failed($"Unknown query id '{queryId}'."));
        if (s is not ("queued" or "executing"))
            return Task.FromResult(CommandResult.Failed($"Query {queryId} is {s}; only queued or executing queries can be cancelled."));
        _states[queryId] = "cancelled";
        return Task.FromResult(CommandResult.Ok($"Cancelled {queryId}."));
    }

    public Task<CommandResult> ResetQueryAsync(string queryId, CancellationToken ct)
    {
        if (!_states.ContainsKey(queryId))
            return Task.FromResult(CommandResult.Failed($"Unknown query id '{queryId}'."));
        _states[queryId] = "known";
        return Task.FromResult(CommandResult.Ok($"Reset {queryId}."));
    }

    public Task<CommandResult> ShowCacheAsync(int top, CancellationToken ct) =>
        Task.FromResult(CommandResult.Ok(
            new[] { "size: 3 MB | limit: 10 MB" }.Concat(new[] { "a1 | score 9.5", "b2 | score 1.0" }.Take(top))));

    public Task<CommandResult> ShrinkCacheAsync(bool dryRun, CancellationToken ct)
    {
        ShrunkForReal |= !dryRun;
        return Task.FromResult(CommandResult.Ok(dryRun ? "would evict: b2" : "evicted: b2"));
    }

    public Task<CommandResult> WorkerStatsAsync(CancellationToken ct) =>
        Task.FromResult(CommandResult.Ok("akka.tcp://flowakka@127.0.0.1:4053 | busy: 2 | idle: 6 | queued: 0"));
}
