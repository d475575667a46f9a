// One database connection's worth of work: runs CREATE TABLE AS for one query at a time.
using Akka.Actor;
using Akka.Event;
using FlowAkka.FlowDb.Cache;

namespace FlowAkka.Cluster.Database;

/// <summary>
/// A routee of the node's pool. It runs one statement at a time and tells the pool when it is free again; the pool
/// only hands work to free workers.
/// </summary>
public sealed class DbWorker : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DbWorker(CacheStore store, IActorRef pool)
    {
        ReceiveAsync<ExecuteQuery>(async execute =>
        {
            var queryId = execute.Write.QueryId;
            var self = Self;
            try
            {
                var result = await store.WriteResultAsync(execute.Write, CancellationToken.None);
                execute.ReplyTo.Tell(new ExecutionSucceeded(queryId, result.ComputeTimeMs, result.AlreadyStored));
                pool.Tell(new WorkerFinished(queryId, Succeeded: true, DatabaseUnreachable: false), self);
            }
            catch (Exception e)
            {
                var transient = FailureClassifier.IsTransient(e);
                // A connection that died may have dead siblings in the pool (FlowDB restarted): let retries reconnect.
                if (transient && e is not OperationCanceledException) store.ClearIdleConnections();
                _log.Warning("Query {0} failed ({1}): {2}", queryId, transient ? "transient" : "permanent", e.Message);
                execute.ReplyTo.Tell(new ExecutionFailed(queryId, e.Message, transient));
                pool.Tell(new WorkerFinished(queryId, Succeeded: false, DatabaseUnreachable: FailureClassifier.IsUnreachable(e)), self);
            }
        });
    }
}
