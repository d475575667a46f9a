// Payloads of the plugin specs. TestPayload's serializer refuses to work outside a transport scope for this system
// (as the Akka TCK's does), so a plugin that forgets Serialization.WithTransport fails the specs. RefusedPayload's
// serializer always throws, to drive per-AtomicWrite rejections.
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed record TestPayload(IActorRef Probe);

public sealed record RefusedPayload(string Text);

public sealed class TransportCheckingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => 7701;

    public override string Manifest(object o) => o is TestPayload ? "T" : throw new ArgumentException($"Unexpected {o.GetType()}");

    public override byte[] ToBinary(object obj)
    {
        AssertTransport();
        return Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(((TestPayload)obj).Probe));
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        AssertTransport();
        return new TestPayload(system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes)));
    }

    private void AssertTransport()
    {
        var info = Akka.Serialization.Serialization.GetCurrentTransportInformation()
                   ?? throw new InvalidOperationException("No transport information: serialization must run inside Serialization.WithTransport.");
        if (!ReferenceEquals(info.System, system) || info.Address != system.Provider.DefaultAddress)
            throw new InvalidOperationException($"Transport information of another system/address: {info.Address}.");
    }
}

public sealed class RefusingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 7702;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => throw new InvalidOperationException("RefusedPayload can never be serialized.");

    public override object FromBinary(byte[] bytes, Type? type) => throw new InvalidOperationException("RefusedPayload can never be deserialized.");
}
