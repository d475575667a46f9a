using Akka;
using Akka.Actor;
using Akka.Event;

namespace FlowAkka.Cluster.Ingress;

/// <summary>A running ingress: where it listens, its actor, and how to stop it.</summary>
public sealed class IngressHandle : IAsyncDisposable
{
    private readonly ZmqIngress _ingress;
    private int _stopped;

    internal IngressHandle(ZmqIngress ingress, IActorRef actor)
    {
        _ingress = ingress;
        Actor = actor;
    }

    /// <summary>The endpoint actually bound, e.g. <c>tcp://127.0.0.1:41234</c>.</summary>
    public string Endpoint => _ingress.Endpoint;

    public int Port => _ingress.Port;

    /// <summary>The server's CURVE public key (Z85) for clients, or null in plaintext mode.</summary>
    public string? CurvePublicKeyZ85 => _ingress.CurvePublicKeyZ85;

    public IActorRef Actor { get; }

    public ZmqIngress Socket => _ingress;

    /// <summary>Unbinds and closes the socket, then stops the actor. Idempotent; meant for the service-unbind phase.</summary>
    public async Task StopAsync()
    {
        await _ingress.StopAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            Actor.Tell(PoisonPill.Instance);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}

public static class IngressSetup
{
    /// <summary>
    /// Binds the ROUTER socket (throws if the endpoint is unusable), starts the ingress actor and the socket thread.
    /// Valid requests reach <paramref name="actionHandler"/> as <see cref="HandleAction"/>; it answers
    /// <see cref="ActionReplied"/> to the Sender.
    /// </summary>
    public static IngressHandle Start(ActorSystem system, IActorRef actionHandler, IngressSettings settings, string actorName = "zmq-ingress")
    {
        var ingress = new ZmqIngress(settings, Logging.GetLogger(system, typeof(ZmqIngress)));
        IActorRef actor;
        try
        {
            actor = system.ActorOf(IngressActor.Props(actionHandler, ingress, settings), actorName);
        }
        catch
        {
            _ = ingress.StopAsync();
            throw;
        }
        ingress.Start(actor);
        var handle = new IngressHandle(ingress, actor);
        if (settings.StopOnCoordinatedShutdown)
        {
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, $"zmq-ingress-unbind-{ingress.Port}", async () =>
            {
                await handle.StopAsync().ConfigureAwait(false);
                return Done.Instance;
            });
        }
        return handle;
    }
}

public static class ZmqIngressExtensions
{
    /// <inheritdoc cref="IngressSetup.Start"/>
    public static IngressHandle StartZmqIngress(this ActorSystem system, IActorRef actionHandler, IngressSettings settings, string actorName = "zmq-ingress") =>
        IngressSetup.Start(system, actionHandler, settings, actorName);
}
