// Persistent actors the Redis persistence benchmark drives: a writer that persists N batches one after another
// (Persist for batch size 1, PersistAll otherwise), and a reader that only recovers.
using Akka.Actor;
using Akka.Persistence;

namespace FlowAkka.Benchmarks.Persistence;

internal sealed record StartWriting(int Batches, int BatchSize);

internal sealed record WritingDone(string PersistenceId, long Events);

internal sealed record AreYouReady;

internal sealed record Ready;

internal sealed record RecoveryDone(string PersistenceId, long Events);

internal sealed class BenchmarkWriter : ReceivePersistentActor
{
    private readonly string _payload = new('x', 100);
    private IActorRef _requester = ActorRefs.Nobody;
    private int _batchesLeft;
    private int _batchSize;
    private int _inBatch;
    private long _events;

    public BenchmarkWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<string>(_ => _events++);
        Command<AreYouReady>(_ => Sender.Tell(new Ready()));
        Command<StartWriting>(start =>
        {
            _requester = Sender;
            _batchesLeft = start.Batches;
            _batchSize = start.BatchSize;
            WriteNextBatch();
        });
    }

    public override string PersistenceId { get; }

    // The next batch is issued from the last handler of the previous one: one write in flight per actor, like a real actor.
    private void WriteNextBatch()
    {
        if (_batchesLeft-- == 0)
        {
            _requester.Tell(new WritingDone(PersistenceId, _events));
            return;
        }
        _inBatch = 0;
        if (_batchSize == 1)
            Persist(_payload, OnPersisted);
        else
            PersistAll(Enumerable.Repeat(_payload, _batchSize), OnPersisted);
    }

    private void OnPersisted(string _)
    {
        _events++;
        if (++_inBatch == _batchSize) WriteNextBatch();
    }
}

internal sealed class BenchmarkReader : ReceivePersistentActor
{
    private readonly IActorRef _reportTo;
    private long _events;

    public BenchmarkReader(string persistenceId, IActorRef reportTo)
    {
        PersistenceId = persistenceId;
        _reportTo = reportTo;
        Recover<string>(_ => _events++);
        Recover<RecoveryCompleted>(_ => _reportTo.Tell(new RecoveryDone(PersistenceId, _events)));
    }

    public override string PersistenceId { get; }
}
