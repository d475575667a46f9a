// Turns events and snapshots into bytes with the actor system's own serializers (Akka's persistence message and
// snapshot serializers, which nest the payload's serializer id and manifest), always inside a transport scope so
// payload serializers can write and resolve actor references.
using Akka.Actor;
using Akka.Persistence;
using Akka.Serialization;
using AkkaSnapshot = Akka.Persistence.Serialization.Snapshot;

namespace FlowAkka.Persistence.Redis.Serialization;

public sealed class PersistenceSerialization
{
    private readonly ExtendedActorSystem _system;
    private readonly Serializer _eventSerializer;
    private readonly Serializer _snapshotSerializer;

    public PersistenceSerialization(ExtendedActorSystem system)
    {
        _system = system;
        _eventSerializer = system.Serialization.FindSerializerForType(typeof(Persistent));
        _snapshotSerializer = system.Serialization.FindSerializerForType(typeof(AkkaSnapshot));
    }

    public byte[] EventToBytes(IPersistentRepresentation persistent) =>
        Akka.Serialization.Serialization.WithTransport(_system, () => _eventSerializer.ToBinary(persistent));

    public IPersistentRepresentation EventFromBytes(byte[] bytes) =>
        Akka.Serialization.Serialization.WithTransport(_system,
            () => (IPersistentRepresentation)_eventSerializer.FromBinary(bytes, typeof(Persistent)));

    /// <summary>Deserializes a page in one transport scope.</summary>
    public IReadOnlyList<IPersistentRepresentation> EventsFromBytes(IReadOnlyList<byte[]> page) =>
        Akka.Serialization.Serialization.WithTransport(_system, () =>
        {
            var events = new IPersistentRepresentation[page.Count];
            for (var i = 0; i < page.Count; i++)
                events[i] = (IPersistentRepresentation)_eventSerializer.FromBinary(page[i], typeof(Persistent));
            return (IReadOnlyList<IPersistentRepresentation>)events;
        });

    public byte[] SnapshotToBytes(object snapshot) =>
        Akka.Serialization.Serialization.WithTransport(_system, () => _snapshotSerializer.ToBinary(new AkkaSnapshot(snapshot)));

    public object SnapshotFromBytes(byte[] bytes) =>
        Akka.Serialization.Serialization.WithTransport(_system,
            () => ((AkkaSnapshot)_snapshotSerializer.FromBinary(bytes, typeof(AkkaSnapshot))).Data);
}
