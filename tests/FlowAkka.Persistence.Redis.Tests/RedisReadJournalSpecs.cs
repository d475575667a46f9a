// RedisReadJournal against the real Redis: our re-creation of the TCK query specs for what it implements
// (CurrentPersistenceIds, PersistenceIds, CurrentEventsByPersistenceId, EventsByPersistenceId). Ids are filtered by the
// test's own persistence id, since the index spans the whole key prefix of this class.
using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;
using FlowAkka.Persistence.Redis.Query;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class RedisReadJournalSpecs : PluginSpec
{
    private static readonly string Prefix = RedisEndpoint.UniquePrefix(nameof(RedisReadJournalSpecs));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly RedisReadJournal _queries;
    private readonly IMaterializer _materializer;

    public RedisReadJournalSpecs(ITestOutputHelper output)
        : base(Prefix, output, "akka.persistence.query.journal.redis.max-buffer-size = 100")
    {
        _queries = PersistenceQuery.Get(Sys).ReadJournalFor<RedisReadJournal>(RedisReadJournal.Identifier);
        _materializer = Sys.Materializer();
    }

    private string Id(string name) => $"{Pid}-{name}";

    private IActorRef Setup(string name, int events)
    {
        var writer = Sys.ActorOf(EventWriter.Props(Id(name)));
        for (var i = 1; i <= events; i++)
        {
            writer.Tell($"{name}-{i}");
            ExpectMsg($"{name}-{i}-done", Patience);
        }
        return writer;
    }

    private async Task<IReadOnlyList<string>> Ours(Source<string, NotUsed> ids) =>
        (await ids.RunWith(Sink.Seq<string>(), _materializer)).Where(id => id.StartsWith(Pid + "-", StringComparison.Ordinal)).ToList();

    private ISinkQueue<T> Queue<T>(Source<T, NotUsed> source) => source.RunWith(Sink.Queue<T>(), _materializer);

    private static async Task<T> Next<T>(ISinkQueue<T> queue)
    {
        var next = await queue.PullAsync().WaitAsync(Patience);
        Assert.True(next.HasValue, "the stream completed too early");
        return next.Value;
    }

    /// <summary>Pulls ids until one of ours named <paramref name="name"/> appears; returns our ids seen on the way.</summary>
    private async Task<List<string>> PullUntil(ISinkQueue<string> queue, string name, List<string>? seen = null)
    {
        seen ??= [];
        while (true)
        {
            var id = await Next(queue);
            if (id.StartsWith(Pid + "-", StringComparison.Ordinal)) seen.Add(id);
            if (id == Id(name)) return seen;
        }
    }

    private Task<System.Collections.Immutable.IImmutableList<EventEnvelope>> Current(string name, long from = 0, long to = long.MaxValue) =>
        _queries.CurrentEventsByPersistenceId(Id(name), from, to).RunWith(Sink.Seq<EventEnvelope>(), _materializer);

    // ---- CurrentPersistenceIds ----

    [Fact]
    public async Task Current_persistence_ids_finds_existing_ids_and_completes()
    {
        Setup("a", 1); Setup("b", 1); Setup("c", 1);
        Assert.Equal(new[] { Id("a"), Id("b"), Id("c") }, (await Ours(_queries.CurrentPersistenceIds())).Order());
    }

    [Fact]
    public async Task Current_persistence_ids_lists_an_id_with_many_events_once()
    {
        Setup("a", 100);
        Assert.Equal(new[] { Id("a") }, await Ours(_queries.CurrentPersistenceIds()));
    }

    [Fact]
    public async Task Current_persistence_ids_does_not_see_ids_created_after_it_started()
    {
        Setup("a", 1); Setup("b", 1);
        var queue = Queue(_queries.CurrentPersistenceIds());
        var first = await queue.PullAsync().WaitAsync(Patience);
        Assert.True(first.HasValue);
        Setup("d", 1);
        var rest = new List<string> { first.Value };
        for (var next = await queue.PullAsync().WaitAsync(Patience); next.HasValue; next = await queue.PullAsync().WaitAsync(Patience))
            rest.Add(next.Value);
        Assert.Contains(Id("a"), rest);
        Assert.Contains(Id("b"), rest);
        Assert.DoesNotContain(Id("d"), rest);
    }

    // ---- PersistenceIds (live) ----

    [Fact]
    public async Task Persistence_ids_finds_existing_and_new_ids_once_each()
    {
        Setup("a", 3);
        var queue = Queue(_queries.PersistenceIds());
        var seen = await PullUntil(queue, "a");
        var writer = Setup("b", 1);
        writer.Tell("b-2");
        ExpectMsg("b-2-done", Patience);
        await PullUntil(queue, "b", seen);
        Setup("c", 1);
        await PullUntil(queue, "c", seen);
        Assert.Equal(new[] { Id("a"), Id("b"), Id("c") }, seen);
    }

    [Fact]
    public async Task Persistence_ids_finds_ids_of_actors_that_used_journal_and_snapshot_store()
    {
        var queue = Queue(_queries.PersistenceIds());
        var writer = Setup("snap", 2);
        writer.Tell(new TakeSnapshot());
        ExpectMsg<SaveSnapshotSuccess>(Patience);
        Assert.Equal(new[] { Id("snap") }, await PullUntil(queue, "snap"));
    }

    // ---- CurrentEventsByPersistenceId ----

    [Fact]
    public async Task Current_events_finds_existing_events_in_order_and_completes()
    {
        Setup("a", 3);
        var events = await Current("a");
        Assert.Equal(new[] { "a-1", "a-2", "a-3" }, events.Select(e => (string)e.Event));
        Assert.Equal(new long[] { 1, 2, 3 }, events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal(Id("a"), e.PersistenceId));
        Assert.Equal(new Offset[] { Offset.Sequence(1), Offset.Sequence(2), Offset.Sequence(3) }, events.Select(e => e.Offset));
    }

    [Fact]
    public async Task Current_events_stop_at_to_sequence_nr()
    {
        Setup("a", 3);
        Assert.Equal(new[] { "a-1", "a-2" }, (await Current("a", 0, 2)).Select(e => (string)e.Event));
    }

    [Fact]
    public async Task Current_events_does_not_see_events_written_after_it_started()
    {
        var writer = Setup("a", 3);
        var queue = Queue(_queries.CurrentEventsByPersistenceId(Id("a"), 0, long.MaxValue));
        Assert.Equal("a-1", (await Next(queue)).Event);
        writer.Tell("a-4");
        ExpectMsg("a-4-done", Patience);
        Assert.Equal("a-2", (await Next(queue)).Event);
        Assert.Equal("a-3", (await Next(queue)).Event);
        Assert.False((await queue.PullAsync().WaitAsync(Patience)).HasValue);
    }

    [Fact]
    public async Task Current_events_are_empty_after_all_were_deleted()
    {
        var writer = Setup("a", 3);
        writer.Tell(new DeleteEventsTo(3));
        ExpectMsg<DeleteMessagesSuccess>(Patience);
        Assert.Empty(await Current("a"));
        Assert.Empty(await Current("a", 0, 0));
    }

    [Fact]
    public async Task Current_events_return_only_what_survived_a_partial_delete()
    {
        var writer = Setup("a", 3);
        writer.Tell(new DeleteEventsTo(2));
        ExpectMsg<DeleteMessagesSuccess>(Patience);
        Assert.Equal(new[] { "a-3" }, (await Current("a")).Select(e => (string)e.Event));
    }

    [Fact]
    public async Task Current_events_are_empty_for_an_id_without_events() =>
        Assert.Empty(await Current("nothing"));

    [Fact]
    public async Task Current_events_are_empty_for_zero_to_zero()
    {
        Setup("a", 3);
        Assert.Empty(await Current("a", 0, 0));
    }

    [Fact]
    public async Task Current_events_are_empty_when_from_is_above_to()
    {
        Setup("a", 3);
        Assert.Empty(await Current("a", 4, 3));
    }

    [Fact]
    public async Task Current_events_carry_the_write_timestamp()
    {
        var before = DateTime.UtcNow.Ticks;
        Setup("a", 1);
        var envelope = Assert.Single(await Current("a"));
        Assert.True(envelope.Timestamp >= before, $"timestamp {envelope.Timestamp} must be the write time (>= {before})");
    }

    [Fact]
    public async Task Current_events_page_through_long_histories()
    {
        Setup("long", 250);
        var events = await Current("long");
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), events.Select(e => e.SequenceNr));
    }

    // ---- EventsByPersistenceId (live) ----

    [Fact]
    public async Task Live_events_see_new_events()
    {
        var writer = Setup("a", 3);
        var queue = Queue(_queries.EventsByPersistenceId(Id("a"), 0, long.MaxValue));
        for (var i = 1; i <= 3; i++) Assert.Equal($"a-{i}", (await Next(queue)).Event);
        writer.Tell("a-4");
        ExpectMsg("a-4-done", Patience);
        var fourth = await Next(queue);
        Assert.Equal("a-4", fourth.Event);
        Assert.Equal(4, fourth.SequenceNr);
        Assert.True(fourth.Timestamp > 0);
    }

    [Fact]
    public async Task Live_events_complete_at_to_sequence_nr()
    {
        var writer = Setup("a", 2);
        var done = _queries.EventsByPersistenceId(Id("a"), 0, 3).RunWith(Sink.Seq<EventEnvelope>(), _materializer);
        writer.Tell("a-3");
        ExpectMsg("a-3-done", Patience);
        writer.Tell("a-4");
        ExpectMsg("a-4-done", Patience);
        Assert.Equal(new[] { "a-1", "a-2", "a-3" }, (await done.WaitAsync(Patience)).Select(e => (string)e.Event));
    }
}
