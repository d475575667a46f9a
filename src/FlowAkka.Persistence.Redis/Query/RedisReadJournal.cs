// Persistence query over the Redis journal: persistence ids from the persistence-id index, events of one id from
// its sorted set. Reads Redis directly with the write journal's settings (key prefix, database); live queries poll
// every refresh-interval.
using System.Collections.Immutable;
using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using Akka.Util;
using FlowAkka.Persistence.Redis.Configuration;
using FlowAkka.Persistence.Redis.Journal;
using FlowAkka.Persistence.Redis.Serialization;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Query;

public sealed class RedisReadJournal :
    IReadJournal,
    IPersistenceIdsQuery,
    ICurrentPersistenceIdsQuery,
    IEventsByPersistenceIdQuery,
    ICurrentEventsByPersistenceIdQuery
{
    public const string Identifier = RedisPersistence.QueryConfigPath;

    private readonly Lazy<Task<RedisConnection>> _connection;
    private readonly PersistenceSerialization _serialization;
    private readonly EventAdapters _adapters;
    private readonly TimeSpan _refreshInterval;
    private readonly int _maxBufferSize;

    public RedisReadJournal(ExtendedActorSystem system, AkkaConfig config)
    {
        // Akka.Persistence first: it registers the persistence message/snapshot serializers this journal reads with.
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        RedisPersistence.Get(system);
        var queryConfig = config.WithFallback(RedisPersistence.DefaultQueryConfig());
        _refreshInterval = queryConfig.GetTimeSpan("refresh-interval", TimeSpan.FromSeconds(3));
        _maxBufferSize = Math.Max(1, queryConfig.GetInt("max-buffer-size", 100));

        var writePlugin = queryConfig.GetString("write-plugin", "");
        if (string.IsNullOrEmpty(writePlugin)) writePlugin = system.Settings.Config.GetString("akka.persistence.journal.plugin", "");
        if (string.IsNullOrEmpty(writePlugin)) writePlugin = RedisPersistence.JournalConfigPath;
        WritePluginId = writePlugin;

        // The same prefix and database as the journal, so the queries see exactly what it wrote; page size = buffer size.
        var journal = RedisSettings.ForJournal(system.Settings.Config.GetConfig(writePlugin));
        var settings = journal with { ReplayPageSize = _maxBufferSize };
        _connection = new Lazy<Task<RedisConnection>>(() => RedisConnection.OpenAsync(settings));
        system.RegisterOnTermination(() =>
        {
            if (_connection.IsValueCreated)
                _ = RedisConnection.CloseWhenOpenedAsync(_connection.Value);
        });

        _serialization = new PersistenceSerialization(system);
        _adapters = persistence.AdaptersFor(writePlugin);
    }

    /// <summary>Absolute config path of the journal being queried.</summary>
    public string WritePluginId { get; }

    /// <summary>Every persistence id in the index when the query starts (one SMEMBERS, so ids written later are
    /// never seen), then completes.</summary>
    public Source<string, NotUsed> CurrentPersistenceIds() =>
        Source.FromTask(ReadPersistenceIdsAsync()).SelectMany(ids => ids);

    /// <summary>Every persistence id now and later, each once; never completes.</summary>
    public Source<string, NotUsed> PersistenceIds() =>
        Source.UnfoldAsync<IdsState, IReadOnlyList<string>>(new IdsState(ImmutableHashSet<string>.Empty, true), async state =>
            {
                if (!state.First) await Task.Delay(_refreshInterval).ConfigureAwait(false);
                var all = await ReadPersistenceIdsAsync().ConfigureAwait(false);
                var fresh = all.Where(id => !state.Seen.Contains(id)).ToList();
                return Option<(IdsState, IReadOnlyList<string>)>.Create((new IdsState(state.Seen.Union(fresh), false), fresh));
            })
            .SelectMany(ids => ids)
            .Named("RedisPersistenceIds");

    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        Events(persistenceId, fromSequenceNr, toSequenceNr, live: false);

    public Source<EventEnvelope, NotUsed> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        Events(persistenceId, fromSequenceNr, toSequenceNr, live: true);

    private Source<EventEnvelope, NotUsed> Events(string persistenceId, long fromSequenceNr, long toSequenceNr, bool live)
    {
        var from = Math.Max(1, fromSequenceNr);
        return Source.UnfoldAsync<EventsState, IReadOnlyList<EventEnvelope>>(new EventsState(from, false), async state =>
            {
                if (state.Next > toSequenceNr) return Option<(EventsState, IReadOnlyList<EventEnvelope>)>.None;
                if (state.Wait) await Task.Delay(_refreshInterval).ConfigureAwait(false);
                var page = await ReadPageAsync(persistenceId, state.Next, toSequenceNr).ConfigureAwait(false);
                if (page.Count == 0 && !live) return Option<(EventsState, IReadOnlyList<EventEnvelope>)>.None;
                var next = page.Count == 0 ? state.Next : page[^1].SequenceNr + 1;
                // A short page means we are at the end: a live query waits before asking again, a current one stops.
                var atEnd = page.Count < _maxBufferSize;
                if (atEnd && !live) next = toSequenceNr == long.MaxValue ? long.MaxValue : toSequenceNr + 1;
                return Option<(EventsState, IReadOnlyList<EventEnvelope>)>.Create((new EventsState(next, atEnd), ToEnvelopes(page)));
            })
            .SelectMany(envelopes => envelopes)
            .Named("RedisEventsByPersistenceId");
    }

    private async Task<IReadOnlyList<IPersistentRepresentation>> ReadPageAsync(string persistenceId, long from, long to)
    {
        var connection = await _connection.Value.ConfigureAwait(false);
        await foreach (var page in RedisJournal.ReadEventsAsync(connection, _serialization, persistenceId, from, to, _maxBufferSize, CancellationToken.None).ConfigureAwait(false))
            return page;
        return [];
    }

    private IReadOnlyList<EventEnvelope> ToEnvelopes(IReadOnlyList<IPersistentRepresentation> page)
    {
        var envelopes = new List<EventEnvelope>(page.Count);
        foreach (var p in page)
        {
            // The same read-side event adapters a recovering actor would get.
            foreach (var evt in _adapters.Get(p.Payload.GetType()).FromJournal(p.Payload, p.Manifest).Events)
                envelopes.Add(new EventEnvelope(new Sequence(p.SequenceNr), p.PersistenceId, p.SequenceNr, evt, p.Timestamp, []));
        }
        return envelopes;
    }

    private async Task<IReadOnlyList<string>> ReadPersistenceIdsAsync()
    {
        var connection = await _connection.Value.ConfigureAwait(false);
        var members = await connection.Call(db => db.SetMembersAsync(connection.Keys.PersistenceIds), CancellationToken.None).ConfigureAwait(false);
        return members.Select(m => (string)m!).ToList();
    }

    private sealed record IdsState(ImmutableHashSet<string> Seen, bool First);

    private sealed record EventsState(long Next, bool Wait);
}
