// The query service as seen by `pbm`: the query, cache and workers palettes, answered by the cluster's actors.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FlowAkka.Cluster.Cache;
using FlowAkka.Cluster.Database;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Queries;
using FlowAkka.Management;
using FlowAkka.Persistence.Redis.Query;
using FlowAkka.Protocol;

namespace FlowAkka.Node.Management;

public sealed class QueryAdministration(ActorSystem system, IActorRegistry registry) : IQueryAdministration
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);
    private const string PersistencePrefix = "query-";

    private IActorRef Region => registry.Get<QueryRegionKey>();

    public async IAsyncEnumerable<string> ListQueriesAsync(string? state, [EnumeratorCancellation] CancellationToken ct)
    {
        QueryState? wanted = null;
        if (state is not null)
        {
            if (!QueryStates.TryParseWireName(state, out var parsed))
            {
                yield return $"error: '{state}' is not a state ({string.Join(", ", QueryStates.All.Select(s => s.ToWireName()))})";
                yield break;
            }
            wanted = parsed;
        }
        var journal = PersistenceQuery.Get(system).ReadJournalFor<RedisReadJournal>(RedisReadJournal.Identifier);
        var ids = await journal.CurrentPersistenceIds()
            .Where(pid => pid.StartsWith(PersistencePrefix, StringComparison.Ordinal))
            .Select(pid => pid[PersistencePrefix.Length..])
            .RunWith(Sink.Seq<string>(), system.Materializer());
        var count = 0;
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var d = await Region.Ask<QueryDescription>(new DescribeQuery(id), AskTimeout, ct);
            if (!d.Known || (wanted is { } w && d.State != w)) continue;
            count++;
            yield return $"{d.QueryId} | {d.QueryKind} | {d.State.ToWireName()} | {d.History.LastOrDefault()?.At:yyyy-MM-dd HH:mm:ss}";
        }
        yield return $"Count: {count} queries";
    }

    public async Task<CommandResult> ShowQueryAsync(string queryId, CancellationToken ct)
    {
        var d = await Region.Ask<QueryDescription>(new DescribeQuery(queryId), AskTimeout, ct);
        if (!d.Known) return CommandResult.Failed($"Unknown query id: '{queryId}'");
        var lines = new List<string>
        {
            $"query_id: {d.QueryId}",
            $"query_kind: {d.QueryKind}",
            $"state: {d.State.ToWireName()}",
            $"spec: {d.Parameters?.ToJsonString()}",
        };
        if (d.ComputeTimeMs is { } ms) lines.Add($"compute_time: {ms:0.0} ms");
        if (d.Error is not null) lines.Add($"error: {d.Error}");
        lines.Add($"dependencies: {(d.Dependencies.IsEmpty ? "none" : string.Join(", ", d.Dependencies))}");
        lines.Add("history:");
        lines.AddRange(d.History.Select(h => $"  {h.At:yyyy-MM-dd HH:mm:ss.fff} {h.State.ToWireName()}{(h.Node is null ? "" : " on " + h.Node)}"));
        return CommandResult.Ok(lines);
    }

    public async Task<CommandResult> CancelQueryAsync(string queryId, CancellationToken ct)
    {
        var s = await Region.Ask<QueryStatus>(new CancelQuery(queryId), AskTimeout, ct);
        if (!s.Known) return CommandResult.Failed($"Unknown query id: '{queryId}'");
        return s.State == QueryState.Cancelled
            ? CommandResult.Ok($"{queryId} cancelled")
            : CommandResult.Failed($"Query with id '{queryId}' {s.State.Description()}, so it cannot be cancelled.");
    }

    public async Task<CommandResult> ResetQueryAsync(string queryId, CancellationToken ct)
    {
        var s = await Region.Ask<QueryStatus>(new ResetQuery(queryId), TimeSpan.FromSeconds(60), ct);
        if (!s.Known) return CommandResult.Failed($"Unknown query id: '{queryId}'");
        return s.State == QueryState.Known
            ? CommandResult.Ok($"{queryId} reset (known)")
            : CommandResult.Failed($"Query with id '{queryId}' {s.State.Description()}{(s.Error is null ? "" : ": " + s.Error)}.");
    }

    public async Task<CommandResult> ShowCacheAsync(int top, CancellationToken ct)
    {
        var report = await registry.Get<CacheJanitorKey>().Ask<CacheReport>(new ShowCache(top), AskTimeout, ct);
        if (report.Error is not null) return CommandResult.Failed(report.Error);
        var lines = new List<string>
        {
            $"size: {report.Size} bytes | limit: {report.Limit} bytes | used: {(report.Limit > 0 ? 100.0 * report.Size / report.Limit : 0):0.0}%",
            "query_id | class | bytes | score | touches | compute_ms | last_accessed",
        };
        lines.AddRange(report.Entries.Select(e =>
            $"{e.QueryId} | {e.ClassName} | {e.SizeBytes} | {e.Score:G4} | {e.AccessCount} | {e.ComputeTimeMs:0.0} | {e.LastAccessed:yyyy-MM-dd HH:mm:ss}"));
        return CommandResult.Ok(lines);
    }

    public async Task<CommandResult> ShrinkCacheAsync(bool dryRun, CancellationToken ct)
    {
        var result = await registry.Get<CacheJanitorKey>().Ask<CacheShrinkResult>(new ShrinkCache(dryRun), TimeSpan.FromMinutes(10), ct);
        if (result.Error is not null) return CommandResult.Failed(result.Error);
        var lines = new List<string>
        {
            $"{(dryRun ? "would remove" : "removed")} {result.Removed.Count} entries; size {result.SizeBefore} → {result.SizeAfter} bytes (limit {result.Limit})",
        };
        lines.AddRange(result.Removed.Select(id => "  " + id));
        return CommandResult.Ok(lines);
    }

    public async Task<CommandResult> WorkerStatsAsync(CancellationToken ct)
    {
        var members = Akka.Cluster.Cluster.Get(system).State.Members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up).ToList();
        var replies = await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                var pool = system.ActorSelection(new RootActorPath(m.Address) / "user" / DbPool.Name);
                return await pool.Ask<WorkerStats>(GetWorkerStats.Instance, AskTimeout, ct);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return new WorkerStats(m.Address.ToString(), 0, 0, 0, 0, 0, 0, false) with { };
            }
        }));
        var lines = new List<string> { "node | pool | busy | idle | queued | completed | failed | flowdb" };
        lines.AddRange(replies.Select(w =>
            $"{w.Node} | {w.PoolSize} | {w.Busy} | {w.Idle} | {w.Queued} | {w.Completed} | {w.Failed} | {(w.DatabaseReachable ? "reachable" : "UNREACHABLE")}"));
        return CommandResult.Ok(lines);
    }
}
