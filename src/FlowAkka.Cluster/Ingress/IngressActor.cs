// The bridge between the ZMQ socket thread and the actors: forwards each request to the action handler, enforces
// the in-flight limit and the reply timeout, and hands every reply back to the socket thread, in completion order.
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Ingress;

public sealed class IngressActor : ReceiveActor, IWithTimers
{
    private static readonly byte[] BusyReply = Reply.ServerBusy().ToUtf8Bytes();
    private static readonly byte[] NoReply = Reply.CouldNotGetReply().ToUtf8Bytes();

    private readonly IActorRef _handler;
    private readonly IReplyChannel _replies;
    private readonly IngressSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // In-flight requests in arrival order. The timeout is the same for all, so arrival order is deadline order and
    // the sweep only ever looks at the head; the index makes removal on reply O(1).
    private readonly LinkedList<Pending> _byDeadline = new();
    private readonly Dictionary<long, LinkedListNode<Pending>> _inFlight = new();
    private bool _handlerGone;

    private readonly record struct Pending(long CorrelationId, long DeadlineTimestamp);

    private sealed class SweepTimeouts
    {
        public static readonly SweepTimeouts Instance = new();
    }

    public IngressActor(IActorRef actionHandler, IReplyChannel replies, IngressSettings settings)
    {
        _handler = actionHandler;
        _replies = replies;
        _settings = settings;

        Receive<RequestReceived>(OnRequest);
        Receive<ActionReplied>(OnReplied);
        Receive<SweepTimeouts>(_ => Sweep());
        Receive<Terminated>(t => t.ActorRef.Equals(_handler), _ => OnHandlerTerminated());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Number of requests waiting for their handler (for management and tests).</summary>
    public int InFlight => _inFlight.Count;

    public static Props Props(IActorRef actionHandler, IReplyChannel replies, IngressSettings settings) =>
        Akka.Actor.Props.Create(() => new IngressActor(actionHandler, replies, settings));

    protected override void PreStart()
    {
        Context.Watch(_handler);
        var interval = TimeSpan.FromTicks(Math.Clamp(_settings.ReplyTimeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        Timers.StartPeriodicTimer("sweep-reply-timeouts", SweepTimeouts.Instance, interval);
    }

    protected override void PostStop()
    {
        // The socket thread would otherwise keep these clients waiting for ever.
        foreach (var pending in _byDeadline)
            _replies.Send(new OutgoingReply(pending.CorrelationId, NoReply));
        _byDeadline.Clear();
        _inFlight.Clear();
    }

    private void OnRequest(RequestReceived request)
    {
        if (_handlerGone)
        {
            _replies.Send(new OutgoingReply(request.CorrelationId, NoReply));
            return;
        }
        if (_inFlight.Count >= _settings.MaxRequestsInFlight)
        {
            _replies.Send(new OutgoingReply(request.CorrelationId, BusyReply));
            return;
        }
        var deadline = Stopwatch.GetTimestamp() + (long)(_settings.ReplyTimeout.TotalSeconds * Stopwatch.Frequency);
        var node = _byDeadline.AddLast(new Pending(request.CorrelationId, deadline));
        if (!_inFlight.TryAdd(request.CorrelationId, node))
        {
            // Ids are unique per ingress; a duplicate would be a bug upstream. Keep the first, never answer twice.
            _byDeadline.Remove(node);
            _log.Warning("Duplicate correlation id {0} ignored", request.CorrelationId);
            return;
        }
        _handler.Tell(new HandleAction(request.CorrelationId, request.Request), Self);
    }

    private void OnReplied(ActionReplied replied)
    {
        if (!_inFlight.Remove(replied.CorrelationId, out var node))
        {
            _log.Debug("Reply for {0} came after its timeout or twice; dropped", replied.CorrelationId);
            return;
        }
        _byDeadline.Remove(node);
        byte[] body;
        try
        {
            body = replied.Reply.ToUtf8Bytes();
        }
        catch (Exception e)
        {
            _log.Error(e, "Could not serialize the reply for {0}", replied.CorrelationId);
            body = NoReply;
        }
        _replies.Send(new OutgoingReply(replied.CorrelationId, body));
    }

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        while (_byDeadline.First is { } head && head.Value.DeadlineTimestamp <= now)
        {
            _byDeadline.RemoveFirst();
            _inFlight.Remove(head.Value.CorrelationId);
            _replies.Send(new OutgoingReply(head.Value.CorrelationId, NoReply));
        }
    }

    private void OnHandlerTerminated()
    {
        _log.Error("Action handler {0} stopped; answering every request with an error from now on", _handler);
        _handlerGone = true;
        foreach (var pending in _byDeadline)
            _replies.Send(new OutgoingReply(pending.CorrelationId, NoReply));
        _byDeadline.Clear();
        _inFlight.Clear();
    }
}
