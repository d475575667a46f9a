// RedisSnapshotStore against the real Redis: our re-creation of the 13 SnapshotStoreSpec cases of the Akka TCK plus
// snapshot serialization, and the upsert/metadata behaviour this plugin adds.
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class RedisSnapshotStoreSpecs : PluginSpec
{
    private static readonly string Prefix = RedisEndpoint.UniquePrefix(nameof(RedisSnapshotStoreSpecs));
    private readonly IActorRef _store;
    private readonly TestProbe _sender;
    private readonly List<SnapshotMetadata> _saved = [];

    public RedisSnapshotStoreSpecs(ITestOutputHelper output) : base(Prefix, output)
    {
        _store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        _sender = CreateTestProbe();
        // TCK Initialize: "s-1".."s-5" at sequence numbers 11..15, timestamps strictly increasing.
        var start = DateTime.UtcNow.AddMinutes(-1);
        for (var i = 1; i <= 5; i++)
        {
            _store.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, i + 10, start.AddSeconds(i * 5)), $"s-{i}"), _sender.Ref);
            _saved.Add(_sender.ExpectMsg<SaveSnapshotSuccess>().Metadata);
        }
    }

    private LoadSnapshotResult Load(SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue, string? pid = null)
    {
        _store.Tell(new LoadSnapshot(pid ?? Pid, criteria, toSequenceNr), _sender.Ref);
        return _sender.ExpectMsg<LoadSnapshotResult>();
    }

    private void ExpectLoaded(LoadSnapshotResult result, int index, string? payload = null)
    {
        Assert.NotNull(result.Snapshot);
        Assert.Equal(_saved[index].PersistenceId, result.Snapshot!.Metadata.PersistenceId);
        Assert.Equal(_saved[index].SequenceNr, result.Snapshot.Metadata.SequenceNr);
        Assert.Equal(payload ?? $"s-{index + 1}", result.Snapshot.Snapshot);
    }

    // ---- TCK SnapshotStoreSpec ----

    [Fact]
    public void Loads_nothing_for_an_unknown_persistence_id()
    {
        var result = Load(SnapshotSelectionCriteria.Latest, pid: "unknown-" + Guid.NewGuid());
        Assert.Null(result.Snapshot);
        Assert.Equal(long.MaxValue, result.ToSequenceNr);
    }

    [Fact]
    public void Loads_nothing_when_no_timestamp_matches()
    {
        var result = Load(new SnapshotSelectionCriteria(long.MaxValue, new DateTime(100_000, DateTimeKind.Utc)));
        Assert.Null(result.Snapshot);
    }

    [Fact]
    public void Loads_nothing_when_no_sequence_number_matches()
    {
        Assert.Null(Load(new SnapshotSelectionCriteria(7)).Snapshot);
        var capped = Load(SnapshotSelectionCriteria.Latest, toSequenceNr: 7);
        Assert.Null(capped.Snapshot);
        Assert.Equal(7, capped.ToSequenceNr);
    }

    [Fact]
    public void Loads_the_most_recent_snapshot()
    {
        var result = Load(SnapshotSelectionCriteria.Latest);
        ExpectLoaded(result, 4);
        Assert.Equal(_saved[4].Timestamp, result.Snapshot!.Metadata.Timestamp);
    }

    [Fact]
    public void Loads_the_most_recent_snapshot_under_an_upper_sequence_number_bound()
    {
        ExpectLoaded(Load(new SnapshotSelectionCriteria(13)), 2);
        ExpectLoaded(Load(SnapshotSelectionCriteria.Latest, toSequenceNr: 13), 2);
    }

    [Fact]
    public void Loads_the_most_recent_snapshot_under_sequence_number_and_timestamp_bounds()
    {
        ExpectLoaded(Load(new SnapshotSelectionCriteria(13, _saved[2].Timestamp)), 2);
        ExpectLoaded(Load(new SnapshotSelectionCriteria(long.MaxValue, _saved[2].Timestamp), toSequenceNr: 13), 2);
    }

    [Fact]
    public void Deletes_the_snapshot_identified_by_its_metadata()
    {
        var commands = CreateTestProbe();
        Sys.EventStream.Subscribe(commands.Ref, typeof(DeleteSnapshot));
        var md = _saved[2];
        _store.Tell(new DeleteSnapshot(md), _sender.Ref);
        commands.ExpectMsg<DeleteSnapshot>(m => m.Metadata.Equals(md));
        _sender.ExpectMsg<DeleteSnapshotSuccess>(m => m.Metadata.Equals(md));
        ExpectLoaded(Load(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)), 1);
    }

    [Fact]
    public void Deletes_by_sequence_number_alone_when_the_timestamp_is_MinValue()
    {
        var md = new SnapshotMetadata(_saved[2].PersistenceId, _saved[2].SequenceNr, DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
        _store.Tell(new DeleteSnapshot(md), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        ExpectLoaded(Load(new SnapshotSelectionCriteria(md.SequenceNr)), 1);
    }

    [Fact]
    public void Does_not_delete_a_snapshot_newer_than_the_metadata_timestamp()
    {
        var md = new SnapshotMetadata(_saved[2].PersistenceId, _saved[2].SequenceNr, _saved[2].Timestamp.AddSeconds(-2));
        _store.Tell(new DeleteSnapshot(md), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>();
        ExpectLoaded(Load(new SnapshotSelectionCriteria(md.SequenceNr)), 2);
    }

    [Fact]
    public void Deletes_every_snapshot_under_sequence_number_and_timestamp_bounds()
    {
        var commands = CreateTestProbe();
        Sys.EventStream.Subscribe(commands.Ref, typeof(DeleteSnapshots));
        var md = _saved[2];
        var criteria = new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp);
        _store.Tell(new DeleteSnapshots(Pid, criteria), _sender.Ref);
        commands.ExpectMsg<DeleteSnapshots>(m => m.PersistenceId == Pid && m.Criteria.Equals(criteria));
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(m => m.Criteria.Equals(criteria));

        Assert.Null(Load(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)).Snapshot);
        ExpectLoaded(Load(new SnapshotSelectionCriteria(_saved[3].SequenceNr, _saved[3].Timestamp)), 3);
    }

    [Fact]
    public void Does_not_delete_snapshots_outside_the_timestamp_bound()
    {
        var md = _saved[3];
        var criteria = new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp.AddTicks(-1));
        _store.Tell(new DeleteSnapshots(Pid, criteria), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(m => m.Criteria.Equals(criteria));
        ExpectLoaded(Load(new SnapshotSelectionCriteria(md.SequenceNr, md.Timestamp)), 3);
    }

    [Fact]
    public void Overwrites_a_snapshot_saved_again_with_the_same_sequence_number()
    {
        var md = _saved[4];
        _store.Tell(new SaveSnapshot(md, "s-5-modified"), _sender.Ref);
        var saved = _sender.ExpectMsg<SaveSnapshotSuccess>().Metadata;
        Assert.Equal(md.SequenceNr, saved.SequenceNr);
        ExpectLoaded(Load(new SnapshotSelectionCriteria(md.SequenceNr)), 4, "s-5-modified");
    }

    [Fact]
    public void Saves_a_bigger_snapshot()
    {
        var bytes = new byte[10_000];
        new Random(7).NextBytes(bytes);
        var md = new SnapshotMetadata(Pid, 100, DateTime.UtcNow);
        _store.Tell(new SaveSnapshot(md, bytes), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>();
        var loaded = Load(SnapshotSelectionCriteria.Latest);
        Assert.Equal(bytes, (byte[])loaded.Snapshot!.Snapshot);
    }

    [Fact]
    public void Serializes_snapshots_inside_a_transport_scope()
    {
        var probe = CreateTestProbe();
        var md = new SnapshotMetadata(Pid, 100, DateTime.UtcNow);
        _store.Tell(new SaveSnapshot(md, new TestPayload(probe.Ref)), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>();
        var loaded = Load(SnapshotSelectionCriteria.Latest);
        Assert.Equal(Pid, loaded.Snapshot!.Metadata.PersistenceId);
        Assert.Equal(100, loaded.Snapshot.Metadata.SequenceNr);
        Assert.Equal(new TestPayload(probe.Ref), loaded.Snapshot.Snapshot);
    }

    // ---- beyond the TCK ----

    [Fact]
    public async Task Keeps_exactly_one_entry_per_sequence_number()
    {
        _store.Tell(new SaveSnapshot(_saved[4], "s-5-again"), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>();
        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisEndpoint.ConfigurationString);
        var keys = new KeyLayout(Prefix);
        Assert.Equal(5, await mux.GetDatabase().SortedSetLengthAsync(keys.SnapshotIndex(Pid)));
        Assert.Equal(5, await mux.GetDatabase().HashLengthAsync(keys.SnapshotData(Pid)));
    }

    [Fact]
    public async Task Selects_by_stored_metadata_without_deserializing_the_other_snapshots()
    {
        // Garbage in place of s-4 and s-5: a selection that ends at s-3 must never read them, and min bounds apply.
        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(RedisEndpoint.ConfigurationString);
        var keys = new KeyLayout(Prefix);
        await mux.GetDatabase().HashSetAsync(keys.SnapshotData(Pid), [new("14", new byte[] { 1, 2, 3 }), new("15", new byte[] { 4 })]);

        ExpectLoaded(Load(new SnapshotSelectionCriteria(13)), 2);
        var window = new SnapshotSelectionCriteria(_saved[2].SequenceNr, _saved[1].Timestamp, _saved[1].SequenceNr, _saved[1].Timestamp);
        ExpectLoaded(Load(window), 1);
    }

    [Fact]
    public async Task Reports_healthy_while_redis_answers()
    {
        var response = await _store.Ask<SnapshotStoreHealthCheckResponse>(new CheckSnapshotStoreHealth(CancellationToken.None), TimeSpan.FromSeconds(10));
        Assert.Equal(PersistenceHealthStatus.Healthy, response.Result.Status);
    }
}
