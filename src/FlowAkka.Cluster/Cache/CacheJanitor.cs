// Cluster singleton keeping FlowKit's cache below its size limit: lowest score first, outside the protected period,
// each entry reset through its QueryActor so a table is never dropped under a query that is using it.
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using FlowAkka.Cluster.Queries;
using FlowAkka.Cluster.Serialization;
using FlowAkka.FlowDb.Cache;

namespace FlowAkka.Cluster.Cache;

/// <summary>`pbm cache shrink [--dry-run]`, and the janitor's own timer.</summary>
[WireManifest("c-shrink")]
public sealed record ShrinkCache(bool DryRun) : IFlowAkkaMessage;

[WireManifest("c-shrunk")]
public sealed record CacheShrinkResult(bool DryRun, long SizeBefore, long SizeAfter, long Limit, ImmutableList<string> Removed,
    string? Error = null) : IFlowAkkaMessage;

/// <summary>`pbm cache show`: size, limit and the most valuable entries.</summary>
[WireManifest("c-show")]
public sealed record ShowCache(int Top) : IFlowAkkaMessage;

[WireManifest("c-report")]
public sealed record CacheReport(long Size, long Limit, ImmutableList<CacheReportEntry> Entries, string? Error = null) : IFlowAkkaMessage;

public sealed record CacheReportEntry(string QueryId, string ClassName, long SizeBytes, double Score, int AccessCount,
    DateTimeOffset Created, DateTimeOffset LastAccessed, double ComputeTimeMs);

public sealed record CacheJanitorSettings
{
    /// <summary>FLOWMACHINE_CACHE_PRUNING_FREQUENCY (FlowKit: 86400 s).</summary>
    public TimeSpan Frequency { get; init; } = TimeSpan.FromDays(1);

    /// <summary>FLOWMACHINE_CACHE_PRUNING_TIMEOUT (FlowKit: 600 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Null: cache_protected_period() of FlowDB.</summary>
    public TimeSpan? ProtectedPeriod { get; init; }
}

public sealed class CacheJanitor : ReceiveActor, IWithTimers
{
    public const string Name = "cache-janitor";

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CacheJanitor(CacheStore cache, Func<IActorRef> region, CacheJanitorSettings settings)
    {
        Receive<ShrinkCache>(shrink =>
        {
            var requester = Sender;
            var log = _log;
            var timeout = new CancellationTokenSource(settings.Timeout);
            ShrinkAsync(cache, region(), settings, shrink.DryRun, timeout.Token)
                .ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        if (t.Result.Removed.Count > 0 || !t.Result.DryRun)
                            log.Info("cache shrink{0}: {1} entries, {2} → {3} bytes (limit {4})", t.Result.DryRun ? " (dry run)" : "",
                                t.Result.Removed.Count, t.Result.SizeBefore, t.Result.SizeAfter, t.Result.Limit);
                        return t.Result;
                    }
                    var message = t.Exception?.GetBaseException().Message ?? "cancelled";
                    log.Warning("cache shrink failed: {0}", message);
                    return new CacheShrinkResult(shrink.DryRun, 0, 0, 0, [], message);
                }, TaskContinuationOptions.ExecuteSynchronously)
                .ContinueWith(t => { timeout.Dispose(); return t.Result; }, TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(requester);
        });
        Receive<CacheShrinkResult>(_ => { }); // the answer to our own timer
        Receive<ShowCache>(show =>
        {
            ReportAsync(cache, show.Top)
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
                    : new CacheReport(0, 0, [], t.Exception?.GetBaseException().Message ?? "failed"), TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(Sender);
        });
        // First pass soon after start (a restarted cluster may be over the limit), then at the configured frequency.
        Timers.StartPeriodicTimer("shrink", new ShrinkCache(false), TimeSpan.FromMinutes(1), settings.Frequency);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CacheStore cache, Func<IActorRef> region, CacheJanitorSettings settings) =>
        Akka.Actor.Props.Create(() => new CacheJanitor(cache, region, settings)).WithDeploy(Deploy.Local);

    private static async Task<CacheReport> ReportAsync(CacheStore cache, int top)
    {
        var entries = await cache.TopEntriesAsync(top, CancellationToken.None);
        return new CacheReport(await cache.SizeAsync(CancellationToken.None), await cache.LimitAsync(CancellationToken.None),
            entries.Select(e => new CacheReportEntry(e.QueryId, e.ClassName, e.SizeBytes, e.Score, e.AccessCount, e.Created,
                e.LastAccessed, e.ComputeTimeMs)).ToImmutableList());
    }

    /// <summary>FlowKit's shrink_below_size: remove the lowest-scoring candidates until the cache fits.</summary>
    public static async Task<CacheShrinkResult> ShrinkAsync(CacheStore cache, IActorRef region, CacheJanitorSettings settings,
        bool dryRun, CancellationToken cancellationToken)
    {
        var size = await cache.SizeAsync(cancellationToken);
        var limit = await cache.LimitAsync(cancellationToken);
        var before = size;
        var removed = ImmutableList.CreateBuilder<string>();
        if (size > limit)
        {
            foreach (var entry in await cache.ShrinkCandidatesAsync(settings.ProtectedPeriod, cancellationToken))
            {
                if (size <= limit) break;
                if (!dryRun)
                {
                    var status = await region.Ask<QueryStatus>(new ResetQuery(entry.QueryId, Cascade: false), TimeSpan.FromSeconds(60), cancellationToken);
                    if (status.State != Protocol.QueryState.Known) continue; // busy or failed: leave it, try the next
                }
                removed.Add(entry.QueryId);
                size -= entry.SizeBytes;
            }
        }
        return new CacheShrinkResult(dryRun, before, dryRun ? before : Math.Max(0, size), limit, removed.ToImmutable());
    }
}
