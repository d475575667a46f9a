// Subscribes to many QueryActors at once (EnsureStored through the shard region) and completes when each has
// reported completed: how the benchmarks drive thousands of queries without a ZMQ round trip per state change.
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Queries;
using FlowAkka.Protocol;

namespace FlowAkka.Benchmarks.Support;

public sealed class CompletionCollector : ReceiveActor
{
    private readonly HashSet<string> _waiting;
    private readonly TaskCompletionSource _done;

    public CompletionCollector(IEnumerable<string> queryIds, TaskCompletionSource done)
    {
        _waiting = queryIds.ToHashSet();
        _done = done;
        if (_waiting.Count == 0) done.TrySetResult();
        Receive<QueryChanged>(changed =>
        {
            if (changed.State == QueryState.Completed && _waiting.Remove(changed.QueryId) && _waiting.Count == 0)
                _done.TrySetResult();
            else if (changed.State is QueryState.Errored or QueryState.Cancelled)
                _done.TrySetException(new InvalidOperationException($"query {changed.QueryId} ended {changed.State}: {changed.Error}"));
        });
    }

    internal static Props Props(IEnumerable<string> queryIds, TaskCompletionSource done) =>
        Akka.Actor.Props.Create(() => new CompletionCollector(queryIds, done));
}

public static class Completion
{
    /// <summary>Registers and starts every spec (EnsureStored carries the normalised parameters, as a parent's would)
    /// and returns when all are completed.</summary>
    public static async Task EnsureCompletedAsync(ActorSystem system, IActorRef region, IReadOnlyList<JsonObject> specs, TimeSpan timeout)
    {
        var queries = specs.Select(s => FlowAkka.Queries.QueryCatalog.ParseAny(s).Query
                                        ?? throw new ArgumentException($"invalid spec {s.ToJsonString()}")).ToList();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = system.ActorOf(CompletionCollector.Props(queries.Select(q => q.QueryId).ToList(), done));
        try
        {
            foreach (var query in queries) region.Tell(new EnsureStored(query.QueryId, query.NormalisedParameters, collector));
            await done.Task.WaitAsync(timeout);
        }
        finally
        {
            system.Stop(collector);
        }
    }
}
