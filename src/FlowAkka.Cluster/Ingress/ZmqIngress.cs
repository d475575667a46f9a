// The ZMQ side of the ingress: one dedicated thread runs a NetMQPoller that alone touches the ROUTER socket
// (NetMQ sockets are not thread-safe). It frames and parses requests, answers envelope errors itself, hands valid
// requests to the ingress actor, and sends replies the actor puts on a NetMQQueue, in completion order.
using System.Net;
using Akka.Actor;
using Akka.Event;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace FlowAkka.Cluster.Ingress;

public sealed class ZmqIngress : IReplyChannel, IAsyncDisposable
{
    // Bounded batches keep receiving and sending fair on the one thread.
    private const int ReceiveBatch = 1000;

    private readonly IngressSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly RouterSocket _router;
    private readonly NetMQQueue<OutgoingReply> _outgoing;
    private readonly NetMQPoller _poller;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _routeCap;
    private readonly NetMQCertificate? _certificate;
    private readonly ClientKeyFile? _clientKeys;
    private readonly RequestAuthenticator? _authenticator;
    private long _authenticationFailures;
    private long _nextFailureLog;

    // Poller thread only: who to answer for each correlation id. A route is removed when its reply is sent, so a
    // second reply for the same id is dropped and every framed request is answered exactly once.
    private readonly Dictionary<long, Route> _routes = new();
    private long _nextCorrelationId;
    private IActorRef _target = ActorRefs.Nobody;
    private Thread? _thread;
    private int _state; // 0 bound, 1 running, 2 stopping

    private long _framesReceived;
    private long _repliesSent;
    private long _rejectedOnSocketThread;

    private readonly record struct Route(byte[] Identity, bool Delimited);

    /// <summary>Creates and binds the ROUTER socket at once, so a bad endpoint fails here and the port is known.</summary>
    public ZmqIngress(IngressSettings settings, ILoggingAdapter log)
    {
        _settings = settings;
        _log = log;
        _routeCap = Math.Max(1, settings.MaxRequestsInFlight) * 2;
        if (settings.ClientKeysFile is { } keysFile)
        {
            // Before the bind: a node told to authenticate must not listen without a usable key set.
            _clientKeys = new ClientKeyFile(keysFile, log, settings.Authentication.KeyFileCheckInterval);
            _authenticator = new RequestAuthenticator(_clientKeys, settings.Authentication);
        }
        _router = new RouterSocket();
        try
        {
            _router.Options.SendHighWatermark = settings.HighWaterMark;
            _router.Options.ReceiveHighWatermark = settings.HighWaterMark;
            _router.Options.MaxMsgSize = (long)settings.Limits.MaxBodyBytes + settings.SocketFrameMargin;
            _router.Options.Linger = TimeSpan.Zero;
            if (settings.UsesCurve)
            {
                _certificate = settings.CurvePublicKeyZ85 is null
                    ? NetMQCertificate.CreateFromSecretKey(settings.CurveSecretKeyZ85!)
                    : new NetMQCertificate(settings.CurveSecretKeyZ85!, settings.CurvePublicKeyZ85);
                _router.Options.CurveServer = true;
                _router.Options.CurveCertificate = _certificate;
            }
            _router.Bind(settings.Endpoint);
            Endpoint = _router.Options.LastEndpoint ?? settings.Endpoint;
            Port = ParsePort(Endpoint);
        }
        catch
        {
            _router.Dispose();
            _clientKeys?.Dispose();
            throw;
        }

        _outgoing = new NetMQQueue<OutgoingReply>();
        _router.ReceiveReady += OnRequestsReady;
        _outgoing.ReceiveReady += OnRepliesReady;
        _poller = new NetMQPoller { _router, _outgoing };

        if (settings.UsesCurve)
            _log.Info("ZMQ ingress bound to {0} with CURVE encryption", Endpoint);
        else if (!IsLoopback(settings.Endpoint))
            _log.Warning("ZMQ ingress bound to {0} in PLAINTEXT beyond loopback: set a CURVE key to encrypt client traffic", Endpoint);
        else
            _log.Info("ZMQ ingress bound to {0} (plaintext, loopback only)", Endpoint);
        if (_clientKeys is not null)
            _log.Info("ZMQ ingress authenticates clients: {0} keys from {1}", _clientKeys.Current.Count, _clientKeys.Path);
    }

    /// <summary>The endpoint actually bound, e.g. <c>tcp://127.0.0.1:41234</c> (or <c>tcp://0.0.0.0:5555</c> for <c>*</c>).</summary>
    public string Endpoint { get; }

    public int Port { get; }

    /// <summary>Server public key clients need for CURVE (Z85), or null in plaintext mode.</summary>
    public string? CurvePublicKeyZ85 => _certificate?.PublicKeyZ85;

    /// <summary>Messages read from the socket (one per multipart message).</summary>
    public long MessagesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Replies handed to the socket.</summary>
    public long RepliesSent => Interlocked.Read(ref _repliesSent);

    /// <summary>Requests answered on the socket thread (framing, envelope, params, overload).</summary>
    public long RejectedOnSocketThread => Interlocked.Read(ref _rejectedOnSocketThread);

    /// <summary>Requests refused for a missing or invalid credential (also counted in <see cref="RejectedOnSocketThread"/>).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>The client key file in use, or null when client authentication is off.</summary>
    public ClientKeyFile? ClientKeys => _clientKeys;

    /// <summary>Starts the socket thread; valid requests go to <paramref name="target"/> as <see cref="RequestReceived"/>.</summary>
    public void Start(IActorRef target)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("The ZMQ ingress was already started or stopped.");
        _target = target;
        _thread = new Thread(RunPoller) { IsBackground = true, Name = $"flowakka-zmq-ingress:{Port}" };
        _thread.Start();
    }

    /// <summary>Thread-safe; replies after <see cref="StopAsync"/> are dropped.</summary>
    public void Send(OutgoingReply reply)
    {
        if (Volatile.Read(ref _state) == 2)
            return;
        try
        {
            _outgoing.Enqueue(reply);
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile: the client is gone with the socket.
        }
    }

    /// <summary>Unbinds, sends replies already queued, closes the socket with linger 0. Idempotent.</summary>
    public Task StopAsync()
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 1)
            _poller.StopAsync(); // the thread then closes everything it owns, see RunPoller
        else if (previous == 0)
            CloseSockets(); // never started: no other thread owns the socket
        return _stopped.Task;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void RunPoller()
    {
        try
        {
            _poller.Run();
        }
        catch (Exception e)
        {
            _log.Error(e, "ZMQ ingress poller failed");
        }
        finally
        {
            try
            {
                DrainReplies();
            }
            catch (Exception e)
            {
                _log.Warning("ZMQ ingress could not flush replies on stop: {0}", e.Message);
            }
            CloseSockets();
        }
    }

    private void CloseSockets()
    {
        try
        {
            try
            {
                _router.Unbind(Endpoint);
            }
            catch (Exception)
            {
                // Already unbound or endpoint not reported exactly as bound; disposing releases it anyway.
            }
            _poller.Dispose();
            _router.Dispose();
            _outgoing.Dispose();
            _clientKeys?.Dispose();
            _log.Info("ZMQ ingress on {0} stopped", Endpoint);
        }
        catch (Exception e)
        {
            _log.Warning("ZMQ ingress shutdown: {0}", e.Message);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void OnRequestsReady(object? sender, NetMQSocketEventArgs e)
    {
        try
        {
            for (var i = 0; i < ReceiveBatch; i++)
            {
                if (!_router.TryReceiveFrameBytes(TimeSpan.Zero, out var identity, out var more))
                    return;
                Interlocked.Increment(ref _framesReceived);
                HandleMessage(identity, more);
            }
        }
        catch (Exception ex)
        {
            // Never let one message kill the socket thread.
            _log.Error(ex, "ZMQ ingress failed to read a message");
        }
    }

    // Frames after the identity: [""] [body] is normal (REQ, DEALER with delimiter), [body] is a bare DEALER.
    // Anything else still gets an error reply when we have an identity (FlowKit drops it; the client hangs, #224).
    // Only the first three frames are kept; the rest are skipped, so a message costs at most ~2 frames of memory.
    private void HandleMessage(byte[] identity, bool more)
    {
        byte[]? second = null, third = null;
        var frames = 1;
        while (more)
        {
            frames++;
            if (frames == 2)
                second = _router.ReceiveFrameBytes(out more);
            else if (frames == 3)
                third = _router.ReceiveFrameBytes(out more);
            else
                _router.SkipFrame(out more);
        }

        Route route;
        byte[] body;
        string? framingError = null;
        if (frames == 2)
        {
            route = new Route(identity, Delimited: false);
            body = second!;
        }
        else if (frames == 3 && second!.Length == 0)
        {
            route = new Route(identity, Delimited: true);
            body = third!;
        }
        else
        {
            route = new Route(identity, Delimited: frames > 2 && second!.Length == 0);
            body = [];
            framingError = frames switch
            {
                1 => "Expected a body frame after the identity, got none.",
                3 => $"Expected an empty delimiter frame before the body, got a frame of {second!.Length} bytes.",
                _ => $"Expected [empty delimiter, body] or [body] after the identity, got {frames - 1} frames.",
            };
        }

        if (framingError is not null)
        {
            Reject(route, Reply.InvalidActionRequest(new System.Text.Json.Nodes.JsonObject
            {
                ["frames"] = new System.Text.Json.Nodes.JsonArray(framingError),
            }));
            return;
        }

        // Lifts a top-level "auth" out (ignored when authentication is off); other unknown keys stay errors.
        var envelope = CredentialEnvelope.Parse(body, _settings.Limits);
        var parsed = envelope.Parsed;
        if (!parsed.IsValid)
        {
            Reject(route, parsed.Error);
            return;
        }
        if (_authenticator?.Authenticate(parsed.Request, envelope.Credential, DateTimeOffset.UtcNow) is { IsAuthenticated: false } refused)
        {
            Interlocked.Increment(ref _authenticationFailures);
            LogAuthenticationFailure(refused);
            Reject(route, refused.ToReply());
            return;
        }
        if (_settings.CheckActionParameters && ActionParameters.Check(parsed.Request) is { } wrongArguments)
        {
            Reject(route, wrongArguments);
            return;
        }
        if (_routes.Count >= _routeCap)
        {
            // The actor is behind by more than its own in-flight limit: shed load here rather than grow without bound.
            Reject(route, Reply.ServerBusy());
            return;
        }

        var correlationId = ++_nextCorrelationId;
        _routes.Add(correlationId, route);
        _target.Tell(new RequestReceived(correlationId, parsed.Request), ActorRefs.NoSender);
    }

    // At most one warning per 10 s, so a flood of bad credentials cannot flood the log; the counter has the total.
    private void LogAuthenticationFailure(AuthenticationResult refused)
    {
        var now = Environment.TickCount64;
        if (now < _nextFailureLog)
            return;
        _nextFailureLog = now + 10_000;
        _log.Warning("ZMQ ingress refused a request ({0}, client {1}): {2}; {3} refused so far",
            refused.Failure, refused.ClientId ?? "-", refused.Reason, AuthenticationFailures);
    }

    private void Reject(Route route, Reply reply)
    {
        Interlocked.Increment(ref _rejectedOnSocketThread);
        SendFrames(route, reply.ToUtf8Bytes());
    }

    private void OnRepliesReady(object? sender, NetMQQueueEventArgs<OutgoingReply> e)
    {
        try
        {
            DrainReplies();
        }
        catch (Exception ex)
        {
            _log.Error(ex, "ZMQ ingress failed to send a reply");
        }
    }

    private void DrainReplies()
    {
        while (_outgoing.TryDequeue(out var reply, TimeSpan.Zero))
        {
            if (_routes.Remove(reply.CorrelationId, out var route))
                SendFrames(route, reply.Body);
        }
    }

    private void SendFrames(Route route, byte[] body)
    {
        // ROUTER (not mandatory) never blocks: a vanished client or a full pipe just drops the reply.
        if (!_router.TrySendFrame(TimeSpan.Zero, route.Identity, more: true))
            return;
        if (route.Delimited)
            _router.TrySendFrameEmpty(TimeSpan.Zero, more: true);
        _router.TrySendFrame(TimeSpan.Zero, body, more: false);
        Interlocked.Increment(ref _repliesSent);
    }

    private static int ParsePort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) ? port : 0;
    }

    private static bool IsLoopback(string endpoint)
    {
        if (endpoint.StartsWith("inproc://", StringComparison.Ordinal) || endpoint.StartsWith("ipc://", StringComparison.Ordinal))
            return true;
        var hostStart = endpoint.IndexOf("://", StringComparison.Ordinal);
        var colon = endpoint.LastIndexOf(':');
        if (hostStart < 0 || colon <= hostStart + 3)
            return false;
        var host = endpoint[(hostStart + 3)..colon].Trim('[', ']');
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
