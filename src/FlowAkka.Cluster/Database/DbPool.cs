// The node's pool of database workers: a smallest-mailbox router sized to the connection budget, with the
// bookkeeping `pbm workers stats` shows and a circuit breaker for while FlowDB is down.
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
    private readonly IActorRef _workers;
    private int _submitted;
    private int _started;
    private int _finished;
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
        // Supervision: a worker that throws outside its own error handling restarts after a growing pause, so a
        // broken FlowDB is not hammered by a restart loop.
        var strategy = new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);
        // The deployment section of hocon/workers.conf (router type, resizer) wins over this code default.
        _workers = Context.ActorOf(
            Props.Create(() => new DbWorker(store, self))
                .WithRouter(new SmallestMailboxPool(settings.PoolSize).WithSupervisorStrategy(strategy)),
            WorkersName);

        Receive<ExecuteQuery>(execute =>
        {
            if (DateTimeOffset.UtcNow < _openUntil)
            {
                // Fail fast while FlowDB is unreachable: the requester gets an answer instead of a hang.
                execute.ReplyTo.Tell(new ExecutionFailed(execute.Write.QueryId,
                    "FlowDB is unreachable; the query will run again on a later run_query.", Transient: true));
                return;
            }
            _submitted++;
            _workers.Forward(execute);
        });
        Receive<WorkerStarted>(_ => _started++);
        Receive<WorkerFinished>(finished =>
        {
            _finished++;
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
        });
        Receive<GetWorkerStats>(_ =>
        {
            var busy = _started - _finished;
            Sender.Tell(new WorkerStats(_node, _settings.PoolSize, busy, Math.Max(0, _settings.PoolSize - busy),
                Math.Max(0, _submitted - _started), _completed, _failed, DateTimeOffset.UtcNow >= _openUntil));
        });
    }
}
