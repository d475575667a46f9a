// The journal: one sorted set of events per persistence id (score = sequence number), a never-deleted highest
// sequence number beside it, and an atomic, single-writer-checked append per AtomicWrite.
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using FlowAkka.Persistence.Redis.Configuration;
using FlowAkka.Persistence.Redis.Serialization;
using StackExchange.Redis;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Journal;

public sealed class RedisJournal : AsyncWriteJournal
{
    private readonly RedisSettings _settings;
    private readonly PersistenceSerialization _serialization;
    private readonly PersistenceIdIndex _index = new();
    private Task<RedisConnection> _connection = Task.FromException<RedisConnection>(new InvalidOperationException("The Redis journal has not started."));

    public RedisJournal(AkkaConfig config)
    {
        RedisPersistence.Get(Context.System);
        _settings = RedisSettings.ForJournal(config);
        _serialization = new PersistenceSerialization((ExtendedActorSystem)Context.System);
    }

    protected override void PreStart()
    {
        // Not awaited here: every call awaits it, so the journal starts even while Redis is down.
        _connection = RedisConnection.OpenAsync(_settings, JournalScripts.Append);
        base.PreStart();
    }

    protected override void PostStop()
    {
        // Not awaited: PostStop must not block; the multiplexer is closed once (and if) it was opened.
        _ = RedisConnection.CloseWhenOpenedAsync(_connection);
        base.PostStop();
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        // DeferAsync without Persist sends an empty batch: answer at once (WhenAll over nothing is fine, but skip the connection).
        if (writes.Count == 0) return ImmutableList<Exception?>.Empty;

        // Everything the writes need is captured before the first await.
        var connectionTask = _connection;
        var serialization = _serialization;
        var index = _index;
        var timestamp = DateTime.UtcNow.Ticks;

        // Serialization failures are per-AtomicWrite rejections; they are found before anything goes to Redis.
        var prepared = new PreparedWrite?[writes.Count];
        var results = new Exception?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                prepared[i] = Prepare(writes[i], serialization, timestamp);
            }
            catch (Exception e)
            {
                results[i] = e;
            }
        }

        var connection = await connectionTask.ConfigureAwait(false);
        var tasks = new List<Task>();
        // Writes of one persistence id run one after another (ids in parallel): a retried script (NOSCRIPT after a
        // Redis restart) must never let a later write land before an earlier one, and after a failure the later
        // writes of that id are not attempted, so no gap can be stored.
        foreach (var group in prepared.OfType<PreparedWrite>().GroupBy(w => w.PersistenceId, StringComparer.Ordinal))
        {
            if (!index.IsIndexed(group.Key))
                tasks.Add(IndexAsync(connection, index, group.Key, cancellationToken));
            tasks.Add(AppendInOrderAsync(connection, group.ToList(), cancellationToken));
        }

        // Any Redis failure or write conflict fails the whole Task (a failure, never a rejection): the writers stop and
        // recover what was really stored.
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results.ToImmutableList();
    }

    private static async Task AppendInOrderAsync(RedisConnection connection, IReadOnlyList<PreparedWrite> writes, CancellationToken ct)
    {
        foreach (var write in writes) await AppendAsync(connection, write, ct).ConfigureAwait(false);
    }

    private static PreparedWrite Prepare(AtomicWrite write, PersistenceSerialization serialization, long timestamp)
    {
        var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
        var values = new RedisValue[2 + events.Count * 2];
        values[0] = write.LowestSequenceNr;
        values[1] = write.HighestSequenceNr;
        var i = 2;
        foreach (var persistent in events)
        {
            values[i++] = persistent.SequenceNr;
            values[i++] = serialization.EventToBytes(persistent.WithTimestamp(timestamp));
        }
        return new PreparedWrite(write.PersistenceId, write.LowestSequenceNr, values);
    }

    private static async Task IndexAsync(RedisConnection connection, PersistenceIdIndex index, string persistenceId, CancellationToken ct)
    {
        await connection.Call(db => db.SetAddAsync(connection.Keys.PersistenceIds, persistenceId, CommandFlags.DemandMaster), ct).ConfigureAwait(false);
        index.MarkIndexed(persistenceId);
    }

    private static async Task AppendAsync(RedisConnection connection, PreparedWrite write, CancellationToken ct)
    {
        var keys = new[] { connection.Keys.Events(write.PersistenceId), connection.Keys.HighestSequenceNr(write.PersistenceId) };
        var result = await connection.Call(
            db => JournalScripts.Append.EvaluateAsync(db, keys, write.Values, CommandFlags.DemandMaster), ct).ConfigureAwait(false);
        var reply = (RedisResult[])result!;
        if ((long)reply[0] != 1)
            throw new JournalWriteConflictException(write.PersistenceId, write.LowestSequenceNr, (long)reply[1]);
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr,
        long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0 || fromSequenceNr > toSequenceNr) return;
        var serialization = _serialization;
        var connection = await _connection.ConfigureAwait(false);
        await foreach (var page in ReadEventsAsync(connection, serialization, persistenceId, fromSequenceNr, toSequenceNr, max, CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var persistent in page) recoveryCallback(persistent);
        }
    }

    /// <summary>Pages through the events of one id in sequence-number order; each page is one bounded call.
    /// Shared with the read journal.</summary>
    internal static async IAsyncEnumerable<IReadOnlyList<IPersistentRepresentation>> ReadEventsAsync(
        RedisConnection connection, PersistenceSerialization serialization, string persistenceId,
        long fromSequenceNr, long toSequenceNr, long max,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var key = connection.Keys.Events(persistenceId);
        var pageSize = connection.Settings.ReplayPageSize;
        var from = fromSequenceNr;
        var remaining = max;
        while (remaining > 0 && from <= toSequenceNr)
        {
            var take = (int)Math.Min(pageSize, remaining);
            var start = from;
            var entries = await connection.Call(
                db => db.SortedSetRangeByScoreWithScoresAsync(key, start, toSequenceNr, Exclude.None, Order.Ascending, 0, take), ct).ConfigureAwait(false);
            if (entries.Length == 0) yield break;
            var bytes = new byte[entries.Length][];
            for (var i = 0; i < entries.Length; i++) bytes[i] = (byte[])entries[i].Element!;
            yield return serialization.EventsFromBytes(bytes);
            if (entries.Length < take) yield break;
            remaining -= entries.Length;
            from = (long)entries[^1].Score + 1;
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        var connection = await _connection.ConfigureAwait(false);
        // Errors propagate: defaulting to 0 on a failed read would let a recovering actor overwrite its own history.
        var value = await connection.Call(db => db.StringGetAsync(connection.Keys.HighestSequenceNr(persistenceId)), cancellationToken).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        var connection = await _connection.ConfigureAwait(false);
        // The highest sequence number key is left alone: it must survive deletes.
        await connection.Call(db => db.SortedSetRemoveRangeByScoreAsync(
            connection.Keys.Events(persistenceId), double.NegativeInfinity, toSequenceNr, Exclude.None, CommandFlags.DemandMaster), cancellationToken).ConfigureAwait(false);
    }

    public override async Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _connection.ConfigureAwait(false);
            var latency = await connection.PingAsync(cancellationToken).ConfigureAwait(false);
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Healthy, $"Redis PING {latency.TotalMilliseconds:0.#} ms", null, null);
        }
        catch (Exception e)
        {
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Unhealthy, $"Redis PING failed: {e.Message}", e, null);
        }
    }

    private sealed record PreparedWrite(string PersistenceId, long LowestSequenceNr, RedisValue[] Values);
}
