// RedisJournal against the real Redis: our re-creation of the 16 JournalSpec cases of the Akka TCK, then what the
// TCK doesn't cover: two writers for one id, big events, long histories, key-prefix isolation.
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class RedisJournalSpecs : PluginSpec
{
    private static readonly string Prefix = RedisEndpoint.UniquePrefix(nameof(RedisJournalSpecs));
    private readonly IActorRef _journal;
    private readonly TestProbe _sender;
    private readonly TestProbe _receiver;

    public RedisJournalSpecs(ITestOutputHelper output) : base(Prefix, output, ExtraJournal("redis-a", Prefix + "a:") + ExtraJournal("redis-b", Prefix + "b:"))
    {
        _journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        _sender = CreateTestProbe();
        _receiver = CreateTestProbe();
        WriteInitialMessages();
    }

    /// <summary>A second plugin instance of the same class under another id: only class and the keys that differ.</summary>
    private static string ExtraJournal(string id, string keyPrefix) => $$"""
        akka.persistence.journal.{{id}} {
          class = "FlowAkka.Persistence.Redis.Journal.RedisJournal, FlowAkka.Persistence.Redis"
          configuration-string = "{{RedisEndpoint.ConfigurationString}}"
          key-prefix = "{{keyPrefix}}"
        }
        """;

    // ---- harness (TCK Initialize): 1..5 as {1},{2},{3},{4,5} ----

    private Persistent Event(long seqNr, object? payload = null, string? writerGuid = null, string? pid = null) =>
        new(payload ?? $"a-{seqNr}", seqNr, pid ?? Pid, string.Empty, false, ActorRefs.NoSender, writerGuid ?? WriterGuid);

    private void WriteInitialMessages()
    {
        var writes = new IPersistentEnvelope[]
        {
            new AtomicWrite(Event(1)), new AtomicWrite(Event(2)), new AtomicWrite(Event(3)),
            new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Event(4), Event(5))),
        };
        _journal.Tell(new WriteMessages(writes, _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        for (var i = 1; i <= 5; i++)
            _sender.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == i && (string)m.Persistent.Payload == $"a-{i}");
    }

    private void Replay(long from, long to, long max = long.MaxValue, string? pid = null, IActorRef? journal = null) =>
        (journal ?? _journal).Tell(new ReplayMessages(from, to, max, pid ?? Pid, _receiver.Ref));

    private void ExpectReplayed(long seqNr, string? pid = null, TimeSpan? timeout = null) =>
        _receiver.ExpectMsg<ReplayedMessage>(m =>
            m.Persistent.SequenceNr == seqNr && m.Persistent.PersistenceId == (pid ?? Pid) &&
            (string)m.Persistent.Payload == $"a-{seqNr}" && !m.Persistent.IsDeleted, timeout);

    private void ExpectRecovered(long highest) =>
        _receiver.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == highest);

    // ---- TCK JournalSpec ----

    [Fact]
    public void Replays_all_messages()
    {
        Replay(1, long.MaxValue);
        for (var i = 1; i <= 5; i++) ExpectReplayed(i);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_from_a_lower_sequence_number_bound()
    {
        Replay(3, long.MaxValue);
        ExpectReplayed(3); ExpectReplayed(4); ExpectReplayed(5);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_up_to_an_upper_sequence_number_bound()
    {
        Replay(1, 3);
        ExpectReplayed(1); ExpectReplayed(2); ExpectReplayed(3);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_at_most_count_limit_messages()
    {
        Replay(1, long.MaxValue, 3);
        ExpectReplayed(1); ExpectReplayed(2); ExpectReplayed(3);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_between_lower_and_upper_bound()
    {
        Replay(2, 3);
        ExpectReplayed(2); ExpectReplayed(3);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_between_bounds_with_a_count_limit()
    {
        Replay(2, 5, 2);
        ExpectReplayed(2); ExpectReplayed(3);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_a_single_message_when_lower_bound_equals_upper_bound()
    {
        Replay(2, 2);
        ExpectReplayed(2);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_a_single_message_when_count_limit_is_one()
    {
        Replay(2, 4, 1);
        ExpectReplayed(2);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_nothing_when_count_limit_is_zero()
    {
        Replay(1, long.MaxValue, 0);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_nothing_when_lower_bound_is_above_upper_bound()
    {
        Replay(3, 2);
        ExpectRecovered(5);
    }

    [Fact]
    public void Replays_nothing_for_an_id_that_never_wrote()
    {
        Replay(1, long.MaxValue, pid: "never-written-" + Guid.NewGuid());
        ExpectRecovered(0);
    }

    [Fact]
    public void Does_not_replay_messages_deleted_by_range()
    {
        var commands = CreateTestProbe();
        Sys.EventStream.Subscribe(commands.Ref, typeof(DeleteMessagesTo));
        _journal.Tell(new DeleteMessagesTo(Pid, 3, _sender.Ref));
        commands.ExpectMsg<DeleteMessagesTo>(m => m.PersistenceId == Pid && m.ToSequenceNr == 3);
        _sender.ExpectMsg<DeleteMessagesSuccess>(m => m.ToSequenceNr == 3);

        Replay(1, long.MaxValue);
        ExpectReplayed(4); ExpectReplayed(5);
        ExpectRecovered(5);
        _sender.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Keeps_the_highest_sequence_number_after_deleting_messages()
    {
        _journal.Tell(new DeleteMessagesTo(Pid, 3, _sender.Ref));
        _sender.ExpectMsg<DeleteMessagesSuccess>();
        Replay(0, long.MaxValue);
        ExpectReplayed(4); ExpectReplayed(5);
        ExpectRecovered(5);
    }

    [Fact]
    public void Keeps_the_highest_sequence_number_after_deleting_everything()
    {
        _journal.Tell(new DeleteMessagesTo(Pid, long.MaxValue, _sender.Ref));
        _sender.ExpectMsg<DeleteMessagesSuccess>();
        Replay(0, long.MaxValue);
        ExpectRecovered(5);
    }

    [Fact]
    public void Serializes_events_inside_a_transport_scope()
    {
        var probe = CreateTestProbe();
        var persistent = Event(6, new TestPayload(probe.Ref));
        _journal.Tell(new WriteMessages([new AtomicWrite(persistent)], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        _sender.ExpectMsg<WriteMessageSuccess>(m => Matches(m.Persistent, persistent));

        Replay(6, long.MaxValue);
        _receiver.ExpectMsg<ReplayedMessage>(m => Matches(m.Persistent, persistent));
        ExpectRecovered(6);

        bool Matches(IPersistentRepresentation actual, Persistent expected) =>
            actual.WriterGuid == expected.WriterGuid && actual.PersistenceId == expected.PersistenceId &&
            actual.SequenceNr == expected.SequenceNr && actual.Payload.Equals(expected.Payload) &&
            (actual.Sender is null || actual.Sender.IsNobody() || actual.Sender.Equals(Sys.DeadLetters));
    }

    [Fact]
    public void Rejects_a_non_serializable_event_and_stores_the_rest_of_the_batch()
    {
        var writes = new IPersistentEnvelope[]
        {
            new AtomicWrite(Event(6)),
            new AtomicWrite(Event(7, new RefusedPayload("not-serializable"))),
            new AtomicWrite(Event(8)),
        };
        _journal.Tell(new WriteMessages(writes, _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        _sender.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 6);
        _sender.ExpectMsg<WriteMessageRejected>(m => m.Persistent.SequenceNr == 7 && m.Cause is InvalidOperationException);
        _sender.ExpectMsg<WriteMessageSuccess>(m => m.Persistent.SequenceNr == 8);

        Replay(6, long.MaxValue);
        ExpectReplayed(6); ExpectReplayed(8);
        ExpectRecovered(8);
    }

    // ---- beyond the TCK ----

    [Fact]
    public void Answers_an_empty_batch_at_once()
    {
        _journal.Tell(new WriteMessages([], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        Replay(1, long.MaxValue);
        for (var i = 1; i <= 5; i++) ExpectReplayed(i);
        ExpectRecovered(5);
    }

    [Fact]
    public void Refuses_a_write_that_does_not_start_above_the_stored_highest()
    {
        // A second incarnation that believes the journal ends at 4 writes {5, 6}: refused as a failure, nothing stored.
        var other = Guid.NewGuid().ToString();
        var write = new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
            Event(5, "b-5", other), Event(6, "b-6", other)));
        _journal.Tell(new WriteMessages([write], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesFailed>(m => m.Cause is Journal.JournalWriteConflictException);
        _sender.ExpectMsg<WriteMessageFailure>(m => m.Persistent.SequenceNr == 5);
        _sender.ExpectMsg<WriteMessageFailure>(m => m.Persistent.SequenceNr == 6);

        Replay(1, long.MaxValue);
        for (var i = 1; i <= 5; i++) ExpectReplayed(i);
        ExpectRecovered(5);
    }

    [Fact]
    public void Lets_exactly_one_of_two_concurrent_writers_of_one_id_win()
    {
        // Two actor systems (two nodes) each with its own journal write 6..8 for the same id at the same time.
        using var node2 = ActorSystem.Create(Sys.Name, Sys.Settings.Config);
        var journal2 = Akka.Persistence.Persistence.Instance.Apply(node2).JournalFor(null);
        var sender2 = CreateTestProbe(node2);
        var guidA = Guid.NewGuid().ToString();
        var guidB = Guid.NewGuid().ToString();
        AtomicWrite Batch(string guid, string tag) => new(ImmutableList.Create<IPersistentRepresentation>(
            Event(6, $"{tag}-6", guid), Event(7, $"{tag}-7", guid), Event(8, $"{tag}-8", guid)));

        _journal.Tell(new WriteMessages([Batch(guidA, "A")], _sender.Ref, ActorInstanceId));
        journal2.Tell(new WriteMessages([Batch(guidB, "B")], sender2.Ref, ActorInstanceId));

        var aWon = _sender.ExpectMsg<object>(TimeSpan.FromSeconds(10)) is WriteMessagesSuccessful;
        var bWon = sender2.ExpectMsg<object>(TimeSpan.FromSeconds(10)) is WriteMessagesSuccessful;
        Assert.True(aWon ^ bWon, $"exactly one writer must win (A: {aWon}, B: {bWon})");

        var winner = aWon ? guidA : guidB;
        Replay(6, long.MaxValue);
        for (var i = 6; i <= 8; i++)
            _receiver.ExpectMsg<ReplayedMessage>(m => m.Persistent.SequenceNr == i && m.Persistent.WriterGuid == winner);
        ExpectRecovered(8);
    }

    [Fact]
    public void Recovers_a_one_mebibyte_event_intact()
    {
        var big = new byte[1024 * 1024];
        new Random(42).NextBytes(big);
        _journal.Tell(new WriteMessages([new AtomicWrite(Event(6, big))], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(10));
        _sender.ExpectMsg<WriteMessageSuccess>();

        Replay(6, 6);
        var replayed = _receiver.ExpectMsg<ReplayedMessage>(TimeSpan.FromSeconds(10));
        Assert.Equal(big, (byte[])replayed.Persistent.Payload);
        ExpectRecovered(6);
    }

    [Fact]
    public void Recovers_ten_thousand_events_of_one_id_complete_and_in_order()
    {
        var pid = Pid + "-long";
        const int total = 10_000, perWrite = 100, writesPerBatch = 10;
        var seq = 0L;
        for (var batch = 0; batch < total / (perWrite * writesPerBatch); batch++)
        {
            var writes = new List<IPersistentEnvelope>();
            for (var w = 0; w < writesPerBatch; w++)
            {
                var events = Enumerable.Range(0, perWrite).Select(_ => (IPersistentRepresentation)Event(++seq, pid: pid)).ToImmutableList();
                writes.Add(new AtomicWrite(events));
            }
            _journal.Tell(new WriteMessages(writes, _sender.Ref, ActorInstanceId));
            _sender.ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(20));
            _sender.ReceiveN(perWrite * writesPerBatch, TimeSpan.FromSeconds(20));
        }

        Replay(1, long.MaxValue, pid: pid);
        var replayed = _receiver.ReceiveN(total, TimeSpan.FromSeconds(60)).Cast<ReplayedMessage>().ToList();
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), replayed.Select(m => m.Persistent.SequenceNr));
        Assert.All(replayed, m => Assert.Equal($"a-{m.Persistent.SequenceNr}", m.Persistent.Payload));
        ExpectRecovered(total);
    }

    [Fact]
    public void Keeps_two_plugin_instances_with_different_key_prefixes_apart()
    {
        var journalA = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor("akka.persistence.journal.redis-a");
        var journalB = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor("akka.persistence.journal.redis-b");
        journalA.Tell(new WriteMessages([new AtomicWrite(Event(1, "only-in-a"))], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        _sender.ExpectMsg<WriteMessageSuccess>();

        // B has never seen this id: nothing to replay, highest 0, and its own seq 1 is not a conflict.
        Replay(1, long.MaxValue, journal: journalB);
        ExpectRecovered(0);
        journalB.Tell(new WriteMessages([new AtomicWrite(Event(1, "only-in-b"))], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>();
        _sender.ExpectMsg<WriteMessageSuccess>();

        Replay(1, long.MaxValue, journal: journalA);
        _receiver.ExpectMsg<ReplayedMessage>(m => (string)m.Persistent.Payload == "only-in-a");
        ExpectRecovered(1);
        Replay(1, long.MaxValue, journal: journalB);
        _receiver.ExpectMsg<ReplayedMessage>(m => (string)m.Persistent.Payload == "only-in-b");
        ExpectRecovered(1);
    }

    [Fact]
    public async Task Fails_writes_while_redis_is_down_and_keeps_every_acknowledged_event_across_a_restart()
    {
        await using var server = await RedisServerProcess.StartAsync();
        var node = ActorSystem.Create("restart", SpecConfig(Prefix + "restart:",
            "akka.persistence.journal.redis.circuit-breaker.reset-timeout = 300ms", server.ConfigurationString));
        try
        {
            var journal = Akka.Persistence.Persistence.Instance.Apply(node).JournalFor(null);
            var probe = CreateTestProbe(node);
            var pid = Pid + "-restart";
            var acknowledged = new List<long>();
            var next = 1L;

            bool Write(long seqNr, TimeSpan timeout)
            {
                journal.Tell(new WriteMessages([new AtomicWrite(Event(seqNr, pid: pid))], probe.Ref, ActorInstanceId));
                var outcome = probe.ExpectMsg<object>(timeout);
                probe.ExpectMsg<object>(timeout); // the per-event WriteMessageSuccess / WriteMessageFailure
                return outcome is WriteMessagesSuccessful;
            }

            for (; next <= 20; next++)
            {
                Assert.True(Write(next, TimeSpan.FromSeconds(10)));
                acknowledged.Add(next);
            }

            // Kill Redis while 20 more writes are in flight: each either is acknowledged or fails, none is lost silently.
            for (var i = 0; i < 20; i++)
                journal.Tell(new WriteMessages([new AtomicWrite(Event(next + i, pid: pid))], probe.Ref, ActorInstanceId));
            await server.KillAsync();
            var answers = probe.ReceiveN(40, TimeSpan.FromSeconds(30));
            acknowledged.AddRange(answers.OfType<WriteMessageSuccess>().Select(m => m.Persistent.SequenceNr));
            var inFlightFailures = answers.OfType<WriteMessageFailure>().Count();
            Assert.Equal(20, answers.OfType<WriteMessageSuccess>().Count() + inFlightFailures);

            // While Redis is down, a write fails (it neither hangs nor succeeds).
            Assert.False(Write(1_000, TimeSpan.FromSeconds(20)));

            await server.RestartAsync();

            // After the restart the multiplexer reconnects on its own: retry "read highest, write highest + 1" until it works.
            long written = -1;
            for (var attempt = 0; attempt < 120 && written < 0; attempt++)
            {
                journal.Tell(new ReplayMessages(1, long.MaxValue, 0, pid, probe.Ref)); // max 0: just the highest
                if (probe.ExpectMsg<object>(TimeSpan.FromSeconds(20)) is RecoverySuccess highest &&
                    Write(highest.HighestSequenceNr + 1, TimeSpan.FromSeconds(20)))
                {
                    written = highest.HighestSequenceNr + 1;
                    acknowledged.Add(written);
                }
                else
                {
                    await Task.Delay(250);
                }
            }
            Assert.True(written > 0, "writes must succeed again after Redis is back");

            journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
            var replayed = new List<long>();
            while (probe.ExpectMsg<object>(TimeSpan.FromSeconds(20)) is ReplayedMessage m) replayed.Add(m.Persistent.SequenceNr);
            Assert.Equal(replayed.OrderBy(n => n), replayed);
            Assert.Empty(acknowledged.Except(replayed));
            Assert.Equal(written, replayed[^1]);
        }
        finally
        {
            Shutdown(node);
        }
    }

    [Fact]
    public async Task Keeps_the_writes_of_one_id_in_order_when_redis_lost_its_script_cache()
    {
        // After a restart or failover the script cache is empty and every EVALSHA of a batch gets NOSCRIPT; the
        // retries must not overtake each other (which would store 9..10 before 6 and refuse 6 → a gap).
        await using var server = await RedisServerProcess.StartAsync();
        var node = ActorSystem.Create("noscript", SpecConfig(Prefix + "noscript:", "", server.ConfigurationString));
        try
        {
            var journal = Akka.Persistence.Persistence.Instance.Apply(node).JournalFor(null);
            var probe = CreateTestProbe(node);
            var pid = Pid + "-noscript";
            IPersistentEnvelope[] Batch(long first) =>
            [
                new AtomicWrite(Event(first, pid: pid)), new AtomicWrite(Event(first + 1, pid: pid)), new AtomicWrite(Event(first + 2, pid: pid)),
                new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Event(first + 3, pid: pid), Event(first + 4, pid: pid))),
            ];
            journal.Tell(new WriteMessages(Batch(1), probe.Ref, ActorInstanceId));
            probe.ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(10));
            probe.ReceiveN(5);

            await using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.ConfigurationString + ",allowAdmin=true"))
                await admin.GetServer(admin.GetEndPoints()[0]).ScriptFlushAsync();

            journal.Tell(new WriteMessages(Batch(6), probe.Ref, ActorInstanceId));
            probe.ExpectMsg<WriteMessagesSuccessful>(TimeSpan.FromSeconds(10));
            Assert.Equal(new long[] { 6, 7, 8, 9, 10 }, probe.ReceiveN(5).Cast<WriteMessageSuccess>().Select(m => m.Persistent.SequenceNr));

            journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i),
                probe.ReceiveN(10, TimeSpan.FromSeconds(10)).Cast<ReplayedMessage>().Select(m => m.Persistent.SequenceNr));
            probe.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == 10);
        }
        finally
        {
            Shutdown(node);
        }
    }

    [Fact]
    public async Task Starts_while_redis_is_down_fails_writes_then_works_once_redis_is_up()
    {
        await using var server = RedisServerProcess.Reserve();
        var node = ActorSystem.Create("down-at-start", SpecConfig(Prefix + "down:",
            "akka.persistence.journal.redis.circuit-breaker.reset-timeout = 300ms", server.ConfigurationString));
        try
        {
            var journal = Akka.Persistence.Persistence.Instance.Apply(node).JournalFor(null);
            var probe = CreateTestProbe(node);
            var pid = Pid + "-down";

            var health = await journal.Ask<JournalHealthCheckResponse>(new CheckJournalHealth(CancellationToken.None), TimeSpan.FromSeconds(30));
            Assert.Equal(PersistenceHealthStatus.Unhealthy, health.Result.Status);
            journal.Tell(new WriteMessages([new AtomicWrite(Event(1, pid: pid))], probe.Ref, ActorInstanceId));
            probe.ExpectMsg<WriteMessagesFailed>(TimeSpan.FromSeconds(30));
            probe.ExpectMsg<WriteMessageFailure>();

            await server.RestartAsync();
            var stored = false;
            for (var attempt = 0; attempt < 120 && !stored; attempt++)
            {
                journal.Tell(new WriteMessages([new AtomicWrite(Event(1, pid: pid))], probe.Ref, ActorInstanceId));
                stored = probe.ExpectMsg<object>(TimeSpan.FromSeconds(20)) is WriteMessagesSuccessful;
                probe.ExpectMsg<object>(TimeSpan.FromSeconds(20));
                if (!stored) await Task.Delay(250);
            }
            Assert.True(stored, "the journal must connect once Redis is up");
            journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, pid, probe.Ref));
            probe.ExpectMsg<ReplayedMessage>(m => m.Persistent.SequenceNr == 1);
            probe.ExpectMsg<RecoverySuccess>(m => m.HighestSequenceNr == 1);
        }
        finally
        {
            Shutdown(node);
        }
    }

    [Fact]
    public async Task Reports_healthy_while_redis_answers()
    {
        var response = await _journal.Ask<JournalHealthCheckResponse>(new CheckJournalHealth(CancellationToken.None), TimeSpan.FromSeconds(10));
        Assert.Equal(PersistenceHealthStatus.Healthy, response.Result.Status);
    }
}
