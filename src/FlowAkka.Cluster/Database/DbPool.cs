// The node's pool of database workers, sized to the connection budget: a router creates and supervises them
// (hocon/workers.conf), and the pool hands each statement to a worker that is free, queueing the rest. It keeps the
// bookkeeping `pbm workers stats` shows and a circuit breaker for while FlowDB is unreachable.
using Akka.Actor;
using Akka.Event;
using Akka.Routing;
using FlowAkka.FlowDb.Cache;

namespace FlowAkka.Cluster.Database;

public sealed record DbPoolSettings(int PoolSize, TimeSpan MinBackoff, TimeSpan MaxBackoff)
{
    public static readonly DbPoolSettings Default = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

public sealed class DbPool : ReceiveActor
{
    public const string Name = "db-pool";
    public const string WorkersName = "db-workers";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DbPoolSettings _settings;
    private readonly string _node;
    private readonly IActorRef _router;
    // Work is pulled, not pushed: a worker awaiting its statement has an empty mailbox, so a mailbox-size router
    // would queue new work behind it while other workers sit idle.
    private readonly Stack<IActorRef> _idle = new();
    private readonly Queue<ExecuteQuery> _queue = new();
    private int _workerCount;
    private long _completed;
    private long _failed;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private TimeSpan _backoff;

    public DbPool(CacheStore store, DbPoolSettings settings)
    {
        _settings = settings;
        _backoff = settings.MinBackoff;
        _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        var self = Self;
        // Supervision: a worker that throws outside its own error handling is restarted in place.
        var strategy = new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);
        // The deployment section of hocon/workers.conf wins over this code default; its size is the connection budget.
        _router = Context.ActorOf(
            Akka.Actor.Props.Create(() => new DbWorker(store, self))
                .WithRouter(new RoundRobinPool(settings.PoolSize).WithSupervisorStrategy(strategy)),
            WorkersName);
        _router.Tell(new GetRoutees());

        Receive<Routees>(routees =>
        {
            foreach (var worker in routees.Members.OfType<ActorRefRoutee>().Select(r => r.Actor)) _idle.Push(worker);
            _workerCount = _idle.Count;
            Dispatch();
        });
        Receive<ExecuteQuery>(execute =>
        {
            if (DateTimeOffset.UtcNow < _openUntil)
            {
                // Fail fast while FlowDB is unreachable: the requester gets an answer instead of a hang.
                execute.ReplyTo.Tell(new ExecutionFailed(execute.Write.QueryId,
                    "FlowDB is unreachable; the query will run again on a later run_query.", Transient: true));
                return;
            }
            _queue.Enqueue(execute);
            Dispatch();
        });
        Receive<WorkerFinished>(finished =>
        {
            _idle.Push(Sender);
            if (finished.Succeeded)
            {
                _completed++;
                _backoff = _settings.MinBackoff;
                _openUntil = DateTimeOffset.MinValue;
            }
            else
            {
                _failed++;
                if (finished.DatabaseUnreachable)
                {
                    _openUntil = DateTimeOffset.UtcNow + _backoff;
                    _log.Warning("FlowDB unreachable: failing new work fast for {0}", _backoff);
                    _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _settings.MaxBackoff.Ticks));
                }
            }
            Dispatch();
        });
        Receive<GetWorkerStats>(_ =>
        {
            Sender.Tell(new WorkerStats(_node, _workerCount, _workerCount - _idle.Count, _idle.Count, _queue.Count, _completed,
                _failed, DateTimeOffset.UtcNow >= _openUntil));
        });
    }

    public static Props Props(CacheStore store, DbPoolSettings settings) =>
        Akka.Actor.Props.Create(() => new DbPool(store, settings));

    private void Dispatch()
    {
        while (_idle.Count > 0 && _queue.Count > 0) _idle.Pop().Tell(_queue.Dequeue(), Self);
    }
}
