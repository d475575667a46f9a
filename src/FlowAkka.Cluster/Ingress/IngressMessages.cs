// Messages between the ZMQ socket thread, the ingress actor and the action handler. All are node-local: the
// correlation id only means something to the ingress that issued it (it names a ZMQ identity on that node).
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Ingress;

/// <summary>Socket thread → <see cref="IngressActor"/>: a framed, parsed and parameter-checked request.</summary>
public sealed record RequestReceived(long CorrelationId, ActionRequest Request);

/// <summary><see cref="IngressActor"/> → action handler. Answer with <see cref="ActionReplied"/> to the Sender, once.</summary>
public sealed record HandleAction(long CorrelationId, ActionRequest Request);

/// <summary>Action handler → <see cref="IngressActor"/> (the Sender of <see cref="HandleAction"/>).</summary>
public sealed record ActionReplied(long CorrelationId, Reply Reply);

/// <summary>Reply bytes for the socket thread to send to the client behind <paramref name="CorrelationId"/>.</summary>
public sealed record OutgoingReply(long CorrelationId, byte[] Body);

/// <summary>Where the ingress actor puts replies; <see cref="ZmqIngress"/> implements it with a NetMQQueue. Thread-safe.</summary>
public interface IReplyChannel
{
    void Send(OutgoingReply reply);
}
