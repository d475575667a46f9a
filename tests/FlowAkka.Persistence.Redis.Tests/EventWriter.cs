// A minimal persistent actor for the query specs: persists each string command, deletes and snapshots on request,
// and answers every completed step to the sender.
using Akka.Actor;
using Akka.Persistence;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed record DeleteEventsTo(long SequenceNr);

public sealed record TakeSnapshot;

public sealed class EventWriter : ReceivePersistentActor
{
    private IActorRef _requester = ActorRefs.Nobody;
    private int _count;

    public EventWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<string>(_ => _count++);
        Command<string>(text => Persist(text, e =>
        {
            _count++;
            Sender.Tell($"{e}-done");
        }));
        Command<DeleteEventsTo>(d =>
        {
            _requester = Sender;
            DeleteMessages(d.SequenceNr);
        });
        Command<DeleteMessagesSuccess>(m => _requester.Tell(m));
        Command<TakeSnapshot>(_ =>
        {
            _requester = Sender;
            SaveSnapshot(_count);
        });
        Command<SaveSnapshotSuccess>(m => _requester.Tell(m));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new EventWriter(persistenceId));
}
