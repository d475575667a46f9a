// Shared pieces of the ingress specs: a small action handler actor and real NetMQ clients (REQ and DEALER).
using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace FlowAkka.Cluster.Tests.Ingress;

/// <summary>
/// Answers at once with success "pong" and payload {request_id, action}, except: request ids starting with "hold"
/// wait for <see cref="Release"/>, ids starting with "never" are never answered. Tells an optional observer about
/// every request it sees.
/// </summary>
public sealed class TestActionHandler : ReceiveActor
{
    public sealed record Release;

    private readonly List<(IActorRef Sender, HandleAction Request)> _held = [];

    public TestActionHandler(IActorRef? observer)
    {
        Receive<HandleAction>(request =>
        {
            observer?.Tell(request);
            if (request.Request.RequestId.StartsWith("never", StringComparison.Ordinal))
                return;
            if (request.Request.RequestId.StartsWith("hold", StringComparison.Ordinal))
            {
                _held.Add((Sender, request));
                return;
            }
            Sender.Tell(Answer(request));
        });
        Receive<Release>(_ =>
        {
            foreach (var (sender, request) in _held)
                sender.Tell(Answer(request));
            _held.Clear();
        });
    }

    public static Props Props(IActorRef? observer = null) => Akka.Actor.Props.Create(() => new TestActionHandler(observer));

    private static ActionReplied Answer(HandleAction request) =>
        new(request.CorrelationId, Reply.Success(new JsonObject
        {
            ["request_id"] = request.Request.RequestId,
            ["action"] = request.Request.Action,
        }, "pong"));
}

public static class Wire
{
    public static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(20);

    /// <summary>How long we wait before concluding that no reply is coming (CURVE refusals, dropped connections).</summary>
    public static readonly TimeSpan SilenceWait = TimeSpan.FromSeconds(2);

    public static byte[] Envelope(string requestId, string action = "ping", string? paramsJson = null) =>
        Encoding.UTF8.GetBytes(paramsJson is null
            ? $$"""{"request_id":"{{requestId}}","action":"{{action}}"}"""
            : $$"""{"request_id":"{{requestId}}","action":"{{action}}","params":{{paramsJson}}}""");

    public static JsonObject ParseReply(byte[] body) => JsonNode.Parse(body)!.AsObject();

    public static string Msg(JsonObject reply) => reply["msg"]!.GetValue<string>();

    public static string? RequestIdOf(JsonObject reply) => reply["payload"]?["request_id"]?.GetValue<string>();

    public static DealerSocket Dealer(string endpoint, Action<DealerSocket>? configure = null)
    {
        var dealer = new DealerSocket();
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Options.SendHighWatermark = 100_000;
        dealer.Options.ReceiveHighWatermark = 100_000;
        configure?.Invoke(dealer);
        dealer.Connect(endpoint);
        return dealer;
    }

    public static RequestSocket Req(string endpoint)
    {
        var req = new RequestSocket();
        req.Options.Linger = TimeSpan.Zero;
        req.Connect(endpoint);
        return req;
    }

    public static string ClientEndpoint(IngressHandle ingress) => $"tcp://127.0.0.1:{ingress.Port}";

    /// <summary>One REQ round trip (a fresh socket, like FlowAPI).</summary>
    public static JsonObject Call(IngressHandle ingress, byte[] body)
    {
        using var req = Req(ClientEndpoint(ingress));
        req.SendFrame(body);
        if (!req.TryReceiveFrameBytes(ReplyWait, out var reply))
            throw new TimeoutException("No reply from the ingress.");
        return ParseReply(reply);
    }

    public static List<byte[]> ReceiveFrames(NetMQSocket socket, TimeSpan? wait = null)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(wait ?? ReplyWait, ref frames))
            throw new TimeoutException("No reply from the ingress.");
        return frames;
    }

    public static bool TryReceiveFrames(NetMQSocket socket, TimeSpan wait, out List<byte[]> frames)
    {
        var received = new List<byte[]>();
        var ok = socket.TryReceiveMultipartBytes(wait, ref received);
        frames = received;
        return ok;
    }

    public static void SendFrames(NetMQSocket socket, params byte[][] frames) => socket.SendMultipartBytes(frames);
}
