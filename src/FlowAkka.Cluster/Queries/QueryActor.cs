// One query of the cluster (entity id = query id): FlowKit's state machine, persisted to Redis before it takes
// effect, with dependencies started first and awaited by subscription.
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using FlowAkka.Cluster.Database;
using FlowAkka.FlowDb.Cache;
using FlowAkka.Protocol;
using FlowAkka.Queries;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Cluster.Queries;

/// <summary>What every QueryActor of a node shares: the shard region (to reach dependencies), the node's DB pool.</summary>
public sealed record QueryActorContext(
    Func<IActorRef> Region,
    IActorRef DbPool,
    CacheStore Cache,
    QueryServiceSettings Settings,
    string Node);

public sealed class QueryActor : ReceivePersistentActor, IWithTimers
{
    public const string DummyQueryKind = "dummy_query";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _queryId;
    private readonly QueryActorContext _context;
    private QueryActorState _state = QueryActorState.Unregistered;
    private Query? _query;

    // Not persisted: who to tell when this query changes, and what its dependencies last said.
    private readonly HashSet<IActorRef> _subscribers = [];
    private Dictionary<string, QueryChanged?>? _dependencies;
    private readonly List<(IActorRef Requester, Func<QueryStatus> Reply)> _awaitingPersist = [];
    private CacheWrite? _write;
    private int _retries;

    public QueryActor(string queryId, QueryActorContext context)
    {
        _queryId = queryId;
        _context = context;

        Recover<IQueryEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<RunQuery>(OnRunQuery);
        Command<EnsureStored>(OnEnsureStored);
        Command<PollQuery>(_ => ReplyStatus());
        Command<GetQueryKind>(_ => ReplyStatus());
        Command<GetQueryParams>(_ => Sender.Tell(Status() with { Parameters = _state.Parameters }));
        Command<GetResultSql>(OnGetResultSql);
        Command<CancelQuery>(_ => OnCancel());
        Command<ResetQuery>(OnReset);
        Command<DescribeQuery>(_ => Sender.Tell(Describe()));
        Command<WakeQuery>(_ => { });
        Command<QueryChanged>(OnDependencyChanged);
        Command<RecheckDependencies>(_ => RecheckDependencyLiveness());
        Command<StoredCheck>(OnStoredCheck);
        Command<ExecutionSucceeded>(OnExecutionSucceeded);
        Command<ExecutionFailed>(OnExecutionFailed);
        Command<RetryExecution>(_ =>
        {
            if (_state.State == QueryState.Executing && _write is not null) _context.DbPool.Tell(new ExecuteQuery(_write, Self));
        });
        Command<ResetDone>(OnResetDone);
        Command<TouchDone>(touch => touch.Requester.Tell(touch.Reply));
        Command<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Command<ReceiveTimeout>(_ => Passivate());
    }

    public override string PersistenceId => "query-" + _queryId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string queryId, QueryActorContext context) =>
        Akka.Actor.Props.Create(() => new QueryActor(queryId, context));

    // ---- commands ------------------------------------------------------------------------------------------------

    private void OnRunQuery(RunQuery run)
    {
        if (!_state.Registered)
        {
            if (!TryParse(run.Parameters, out var query, out var error))
            {
                Sender.Tell(Status() with { Error = error });
                return;
            }
            _query = query;
            var (events, after) = Begin([new QueryRegistered(_queryId, query.QueryKind, run.Parameters, Now), new QueryQueued(Now)], query);
            PersistThen(events, after);
            return;
        }
        if (Restartable() && Query() is { } known)
        {
            var (events, after) = Begin(RestartEvents(), known);
            PersistThen(events, after);
            return;
        }
        ReplyStatus();
    }

    private void OnEnsureStored(EnsureStored ensure)
    {
        if (_subscribers.Add(ensure.Subscriber)) Context.Watch(ensure.Subscriber);
        if (!_state.Registered)
        {
            if (ensure.Parameters is null || !TryParse(ensure.Parameters, out var query, out _))
            {
                // A subscriber_subset id nobody knows: the parent fails, nothing is registered.
                ensure.Subscriber.Tell(new QueryChanged(_queryId, QueryState.Errored, ImmutableDictionary<string, QueryState>.Empty,
                    $"Unknown query id: '{_queryId}'"));
                return;
            }
            _query = query;
            var (events, after) = Begin([new QueryRegistered(_queryId, query.QueryKind, ensure.Parameters, Now), new QueryQueued(Now)], query);
            PersistThen(events, after, replyToSender: false);
            return;
        }
        if (Restartable() && Query() is { } known)
        {
            var (events, after) = Begin(RestartEvents(), known);
            PersistThen(events, after, replyToSender: false);
            return;
        }
        ensure.Subscriber.Tell(Changed());
    }

    private void OnGetResultSql(GetResultSql get)
    {
        if (!_state.Registered || _state.State != QueryState.Completed)
        {
            ReplyStatus();
            return;
        }
        var query = Query();
        var table = CacheTableName.IsQueryId(_queryId) ? CacheTableName.SelectAll(_queryId) : $"SELECT * FROM cache.x{_queryId}";
        string? sql = table;
        if (get.Geo)
        {
            sql = query?.BuildGeoJsonSql(table);
            if (sql is null)
            {
                Sender.Tell(Status() with { Error = QueryStatus.NoGeoJson });
                return;
            }
        }
        var reply = Status() with { Sql = sql, AggregationUnit = query?.AggregationUnit };
        if (!CacheTableName.IsQueryId(_queryId))
        {
            Sender.Tell(reply); // dummy queries have no table to touch
            return;
        }
        // Reading a result touches the cache entry (FlowKit's score); a vanished entry means the table was dropped
        // behind our back, so the query is known again instead of ready.
        var requester = Sender;
        var self = Self;
        _context.Cache.TouchAsync(_queryId, CancellationToken.None).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully && !t.Result) self.Tell(new ResetDone(requester, null, VanishedTable: true));
            else self.Tell(new TouchDone(requester, reply));
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnCancel()
    {
        if (_state.State is not (QueryState.Queued or QueryState.Executing))
        {
            ReplyStatus();
            return;
        }
        var wasExecuting = _state.State == QueryState.Executing;
        PersistThen([new QueryCancelled(Now)], () =>
        {
            StopWaitingOnDependencies();
            if (wasExecuting && CacheTableName.IsQueryId(_queryId))
            {
                // Really stop the statement in PostgreSQL, wherever it runs; its worker then reports a failure we ignore.
                _context.Cache.CancelStatementsAsync(_queryId, CancellationToken.None)
                    .ContinueWith(t => _log.Info("cancel_query {0}: {1} statement(s) cancelled", _queryId, t.IsCompletedSuccessfully ? t.Result : 0),
                        TaskContinuationOptions.ExecuteSynchronously);
            }
            NotifySubscribers();
            SettleLater();
        });
    }

    private void OnReset(ResetQuery reset)
    {
        if (!_state.Registered || _state.State is QueryState.Known)
        {
            ReplyStatus();
            return;
        }
        if (_state.State is not (QueryState.Completed or QueryState.Errored or QueryState.Cancelled or QueryState.ResetFailed))
        {
            ReplyStatus(); // queued/executing/resetting: the service answers with the state's description
            return;
        }
        var requester = Sender;
        PersistThen([new QueryResetStarted(Now)], () =>
        {
            var self = Self;
            var region = _context.Region();
            var cache = _context.Cache;
            var timeout = _context.Settings.AskTimeout;
            var queryId = _queryId;
            ResetCascadeAsync(queryId, region, cache, timeout, reset.Cascade).ContinueWith(
                t => self.Tell(new ResetDone(requester, t.IsCompletedSuccessfully ? null : t.Exception?.GetBaseException().Message, false)),
                TaskContinuationOptions.ExecuteSynchronously);
        }, replyToSender: false);
    }

    /// <summary>Dependants first (they read this table), then this query's own table and row.</summary>
    private static async Task ResetCascadeAsync(string queryId, IActorRef region, CacheStore cache, TimeSpan timeout, bool cascade = true)
    {
        if (!CacheTableName.IsQueryId(queryId)) return;
        var dependants = cascade ? await cache.DependantsOfAsync(queryId, CancellationToken.None) : [];
        var results = await Task.WhenAll(dependants.Select(d => region.Ask<QueryStatus>(new ResetQuery(d), timeout)));
        var failed = results.FirstOrDefault(r => r.State is QueryState.ResetFailed or QueryState.Queued or QueryState.Executing);
        if (failed is not null)
            throw new InvalidOperationException($"dependant {failed.QueryId} {failed.State.Description()}");
        await cache.DropAsync(queryId, CancellationToken.None);
    }

    private void OnResetDone(ResetDone done)
    {
        if (done.VanishedTable)
        {
            PersistThen([new QueryResetStarted(Now), new QueryResetFinished(Now)], () => done.Requester.Tell(Status()), replyToSender: false);
            return;
        }
        IQueryEvent outcome = done.Error is null ? new QueryResetFinished(Now) : new QueryResetFailed(done.Error, Now);
        PersistThen([outcome], () =>
        {
            done.Requester.Tell(Status());
            NotifySubscribers();
            SettleLater();
        }, replyToSender: false);
    }

    // ---- the work ------------------------------------------------------------------------------------------------

    private void OnRecovered()
    {
        if (!_state.Registered)
        {
            SettleLater();
            return;
        }
        if (_state.State is QueryState.Queued or QueryState.Executing)
        {
            // Our previous incarnation died with the work in flight (FlowKit issue #4053): finish it. The result may
            // have been committed just before the crash, so look before running the SQL again.
            if (_state.QueryKind == DummyQueryKind || !CacheTableName.IsQueryId(_queryId))
            {
                StartWork();
                return;
            }
            var self = Self;
            _context.Cache.IsStoredAsync(_queryId, CancellationToken.None).ContinueWith(
                t => self.Tell(new StoredCheck(t.IsCompletedSuccessfully && t.Result, t.IsCompletedSuccessfully)),
                TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        if (_state.State == QueryState.Resetting)
        {
            // A reset was interrupted: finish it (dropping twice is harmless).
            OnResetResume();
            return;
        }
        SettleLater();
    }

    private void OnResetResume()
    {
        var self = Self;
        ResetCascadeAsync(_queryId, _context.Region(), _context.Cache, _context.Settings.AskTimeout).ContinueWith(
            t => self.Tell(new ResetDone(ActorRefs.Nobody, t.IsCompletedSuccessfully ? null : t.Exception?.GetBaseException().Message, false)),
            TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnStoredCheck(StoredCheck check)
    {
        if (_state.State is not (QueryState.Queued or QueryState.Executing)) return;
        if (check.Stored)
        {
            PersistThen(_state.State == QueryState.Queued
                ? [new QueryExecutionStarted(_context.Node, Now), new QueryCompleted(0, Now)]
                : [new QueryCompleted(0, Now)], AfterFinished, replyToSender: false);
            return;
        }
        StartWork();
    }

    /// <summary>Start dependencies (or go straight to execution). Runs in queued or executing.</summary>
    private void StartWork()
    {
        var query = Query();
        if (query is null)
        {
            PersistThen([new QueryErrored("The stored parameters no longer form a valid query.", false, Now)], AfterFinished, replyToSender: false);
            return;
        }
        if (query.QueryKind == DummyQueryKind)
        {
            // FlowKit's dummy query stores nothing: it is marked completed (its delay is in the reply, not here).
            PersistThen([new QueryExecutionStarted(_context.Node, Now), new QueryCompleted(0, Now)], AfterFinished, replyToSender: false);
            return;
        }
        var needed = NeededDependencies(query);
        if (needed.Count == 0)
        {
            Execute(query);
            return;
        }
        _dependencies = needed.ToDictionary(d => d.QueryId, _ => (QueryChanged?)null);
        foreach (var dependency in needed) SendEnsureStored(dependency);
        Timers.StartPeriodicTimer(nameof(RecheckDependencies), RecheckDependencies.Instance,
            _context.Settings.DependencyRecheckInterval);
        NotifySubscribers();
    }

    private IReadOnlyList<Query> NeededDependencies(Query query) =>
        _context.Settings.DependencyCaching
            ? query.Dependencies
            // Without dependency caching only queries given by id (subscriber_subset) are read from the cache.
            : AllDependencies(query).OfType<StoredQueryReference>().DistinctBy(d => d.QueryId).ToList();

    private static IEnumerable<Query> AllDependencies(Query query) =>
        query.Dependencies.SelectMany(d => AllDependencies(d).Prepend(d));

    private void SendEnsureStored(Query dependency) =>
        _context.Region().Tell(new EnsureStored(dependency.QueryId,
            dependency is StoredQueryReference ? null : dependency.NormalisedParameters, Self));

    private void RecheckDependencyLiveness()
    {
        if (_dependencies is null || Query() is not { } query) return;
        foreach (var dependency in NeededDependencies(query))
        {
            if (_dependencies.GetValueOrDefault(dependency.QueryId)?.State != QueryState.Completed) SendEnsureStored(dependency);
        }
    }

    private void OnDependencyChanged(QueryChanged changed)
    {
        if (_dependencies is null || !_dependencies.ContainsKey(changed.QueryId)) return;
        if (_state.State is not (QueryState.Queued or QueryState.Executing)) return;
        _dependencies[changed.QueryId] = changed;
        switch (changed.State)
        {
            case QueryState.Completed when _dependencies.Values.All(d => d?.State == QueryState.Completed):
                StopWaitingOnDependencies();
                Execute(Query()!);
                return;
            case QueryState.Errored or QueryState.Cancelled or QueryState.ResetFailed:
            {
                var reason = changed.Error ?? $"Query with id '{changed.QueryId}' {changed.State.Description()}.";
                StopWaitingOnDependencies();
                PersistThen([new QueryErrored($"Dependency {changed.QueryId} failed: {reason}",
                    changed.Transient || changed.State == QueryState.Cancelled, Now)], AfterFinished, replyToSender: false);
                return;
            }
            case QueryState.Known when changed.Pending.IsEmpty:
                // It was reset under us: ask again, which re-runs it.
                SendEnsureStored(NeededDependencies(Query()!).First(d => d.QueryId == changed.QueryId));
                break;
        }
        NotifySubscribers();
    }

    private void StopWaitingOnDependencies()
    {
        Timers.Cancel(nameof(RecheckDependencies));
        _dependencies = null;
    }

    private void Execute(Query query)
    {
        ISqlSource source = _context.Settings.DependencyCaching ? new CachedDependencies(query) : new InlineExceptStored();
        string sql;
        try
        {
            sql = query.BuildSql(source);
        }
        catch (Exception e)
        {
            PersistThen([new QueryErrored($"Could not build SQL: {e.Message}", false, Now)], AfterFinished, replyToSender: false);
            return;
        }
        var write = new CacheWrite(_queryId, sql, query.IndexColumns, query.CacheClassName,
            NeededDependencies(query).Select(d => d.QueryId).ToList(), _context.Settings.StatementTimeout);
        PersistThen([new QueryExecutionStarted(_context.Node, Now)], () =>
        {
            _write = write;
            _retries = 0;
            _context.DbPool.Tell(new ExecuteQuery(write, Self));
            NotifySubscribers();
        }, replyToSender: false);
    }

    private void OnExecutionSucceeded(ExecutionSucceeded done)
    {
        if (_state.State != QueryState.Executing) return; // cancelled meanwhile: the table stays, a re-run finds it
        PersistThen([new QueryCompleted(done.ComputeTimeMs, Now)], AfterFinished, replyToSender: false);
    }

    private void OnExecutionFailed(ExecutionFailed failed)
    {
        if (_state.State != QueryState.Executing) return;
        if (failed.Transient && _retries < _context.Settings.ExecutionRetries)
        {
            // The environment failed, not the SQL (a dropped connection, FlowDB restarting): run it again shortly.
            var pause = _context.Settings.RetryBackoff * Math.Pow(2, _retries++);
            _log.Info("Query {0} failed transiently ({1}); retry {2} of {3} in {4}", _queryId, failed.Message, _retries,
                _context.Settings.ExecutionRetries, pause);
            Timers.StartSingleTimer(nameof(RetryExecution), RetryExecution.Instance, pause);
            return;
        }
        PersistThen([new QueryErrored(failed.Message, failed.Transient, Now)], AfterFinished, replyToSender: false);
    }

    private void AfterFinished()
    {
        NotifySubscribers();
        SettleLater();
    }

    // ---- replies -------------------------------------------------------------------------------------------------

    private void ReplyStatus() => Sender.Tell(Status());

    private QueryStatus Status()
    {
        if (!_state.Registered)
            return new QueryStatus(_queryId, false, null, QueryState.Known, QueryProgress.None);
        var progress = _state.State == QueryState.Completed ? QueryProgress.None : QueryProgress.Of(Pending());
        // The spec itself travels only for get_query_params: polls stay small on the wire.
        return new QueryStatus(_queryId, true, _state.QueryKind, _state.State, progress,
            Error: _state.State is QueryState.Errored or QueryState.ResetFailed ? _state.Error : null);
    }

    private QueryChanged Changed() => new(_queryId, _state.State, Pending(),
        _state.State is QueryState.Errored or QueryState.ResetFailed ? _state.Error : null, _state.TransientError);

    /// <summary>The unfinished queries of this tree, this one included, as known from pushed dependency changes.</summary>
    private ImmutableDictionary<string, QueryState> Pending()
    {
        if (_state.State == QueryState.Completed) return ImmutableDictionary<string, QueryState>.Empty;
        var pending = ImmutableDictionary.CreateBuilder<string, QueryState>();
        if (_dependencies is not null)
        {
            foreach (var (id, changed) in _dependencies)
            {
                if (changed is null) pending[id] = QueryState.Queued;
                else foreach (var (pendingId, state) in changed.Pending) pending[pendingId] = state;
            }
        }
        pending[_queryId] = _state.State;
        return pending.ToImmutable();
    }

    private void NotifySubscribers()
    {
        if (_subscribers.Count == 0) return;
        var changed = Changed();
        foreach (var subscriber in _subscribers) subscriber.Tell(changed);
    }

    /// <summary>Answers the requests that waited for a persist (run_query replies after its events are stored).</summary>
    private void ReplyPending()
    {
        foreach (var (requester, reply) in _awaitingPersist) requester.Tell(reply());
        _awaitingPersist.Clear();
    }

    private QueryDescription Describe() => new(_queryId, _state.Registered, _state.QueryKind, _state.State, _state.Parameters,
        _state.History, Query() is { } q ? NeededDependencies(q).Select(d => d.QueryId).ToImmutableList() : [],
        _state.ComputeTimeMs, _state.Error);

    // ---- persistence helpers -------------------------------------------------------------------------------------

    /// <summary>Persist the events in order, apply each, then run <paramref name="after"/>. The sender (when
    /// <paramref name="replyToSender"/>) gets the status once everything is stored; if storing fails it gets an
    /// error instead of silence.</summary>
    private void PersistThen(IReadOnlyList<IQueryEvent> events, Action after, bool replyToSender = true)
    {
        if (replyToSender) _awaitingPersist.Add((Sender, Status));
        var remaining = events.Count;
        SetReceiveTimeout(null);
        PersistAll(events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining > 0) return;
            // Start the work first, so that a run_query reply already counts the dependencies it started.
            after();
            ReplyPending();
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "Query {0}: could not persist {1}; the actor stops and recovers on the next message", _queryId,
            @event.GetType().Name);
        foreach (var (requester, _) in _awaitingPersist)
        {
            requester.Tell(new QueryStatus(_queryId, _state.Registered, _state.QueryKind, _state.State, QueryProgress.None,
                Error: QueryStatus.PersistenceUnavailable));
        }
        _awaitingPersist.Clear();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        OnPersistFailure(cause, @event, sequenceNr);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private bool Restartable() => _state.State is QueryState.Known or QueryState.Cancelled
                                  || (_state.State == QueryState.Errored && _state.TransientError);

    /// <summary>The events that start a query, and what follows once they are stored. FlowKit's dummy query stores
    /// nothing: it is marked completed at once, in the same journal write.</summary>
    private (IReadOnlyList<IQueryEvent> Events, Action After) Begin(IReadOnlyList<IQueryEvent> head, Query query) =>
        query.QueryKind == DummyQueryKind
            ? ([.. head, new QueryExecutionStarted(_context.Node, Now), new QueryCompleted(0, Now)], AfterFinished)
            : (head, StartWork);

    /// <summary>FlowKit's path back to work: …→resetting→known→queued (known starts at queued directly).</summary>
    private IReadOnlyList<IQueryEvent> RestartEvents() => _state.State == QueryState.Known
        ? [new QueryQueued(Now)]
        : [new QueryResetStarted(Now), new QueryResetFinished(Now), new QueryQueued(Now)];

    private Query? Query()
    {
        if (_query is not null || _state.Parameters is null) return _query;
        TryParse(_state.Parameters, out var query, out _);
        return _query = query;
    }

    private static bool TryParse(JsonObject parameters, out Query query, out string? error)
    {
        var parsed = QueryCatalog.ParseAny(parameters);
        query = parsed.Query!;
        error = parsed.Query is null ? parsed.ValidationErrors?.ToJsonString() : null;
        return parsed.Query is not null;
    }

    private void SettleLater()
    {
        // An id nobody registered (a poll of an unknown id) holds nothing worth keeping in memory.
        if (!_state.Registered) SetReceiveTimeout(TimeSpan.FromSeconds(1));
        else if (_state.IsSettled) SetReceiveTimeout(_context.Settings.PassivateAfter);
    }

    private void Passivate()
    {
        SetReceiveTimeout(null);
        if (_state.IsSettled || !_state.Registered) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private sealed class CachedDependencies(Query query) : ISqlSource
    {
        private readonly HashSet<string> _stored = query.Dependencies.Select(d => d.QueryId).ToHashSet();

        public string SqlFor(Query dependency) =>
            _stored.Contains(dependency.QueryId) && CacheTableName.IsQueryId(dependency.QueryId)
                ? CacheTableName.SelectAll(dependency.QueryId)
                : dependency.BuildSql(this);
    }

    private sealed class InlineExceptStored : ISqlSource
    {
        public string SqlFor(Query dependency) => dependency.BuildSql(this);
    }

    private sealed record RecheckDependencies
    {
        public static readonly RecheckDependencies Instance = new();
    }

    private sealed record RetryExecution
    {
        public static readonly RetryExecution Instance = new();
    }

    private sealed record StoredCheck(bool Stored, bool Checked);

    private sealed record ResetDone(IActorRef Requester, string? Error, bool VanishedTable);

    private sealed record TouchDone(IActorRef Requester, QueryStatus Reply);
}
