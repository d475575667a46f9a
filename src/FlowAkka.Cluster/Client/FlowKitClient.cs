// A ZMQ client of FlowKit's protocol (what FlowAPI does), for `flowakka call`, tests and benchmarks.
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Client;

public enum ClientSocketKind { Req, Dealer }

public sealed record FlowKitClientOptions
{
    public string Endpoint { get; init; } = "tcp://127.0.0.1:5555";
    public ClientSocketKind Socket { get; init; } = ClientSocketKind.Dealer;

    /// <summary>The server's CURVE public key (Z85); null for plaintext.</summary>
    public string? ServerPublicKeyZ85 { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Client id and key for a node with client authentication on; null sends unsigned requests.</summary>
    public string? ClientId { get; init; }

    public byte[]? ClientKey { get; init; }
}

/// <summary>
/// One socket, one request at a time (FlowKit's replies carry no request id, so replies on one socket are matched
/// by order). Use one client per concurrent caller, as FlowAPI uses one REQ socket per HTTP request.
/// </summary>
public sealed class FlowKitClient : IDisposable
{
    private readonly NetMQSocket _socket;
    private readonly FlowKitClientOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;

    public FlowKitClient(FlowKitClientOptions options)
    {
        _options = options;
        _socket = options.Socket == ClientSocketKind.Req ? new RequestSocket() : new DealerSocket();
        _socket.Options.Linger = TimeSpan.Zero;
        if (options.ServerPublicKeyZ85 is { } serverKey)
        {
            _socket.Options.CurveServerCertificate = NetMQCertificate.FromPublicKey(serverKey);
            _socket.Options.CurveCertificate = new NetMQCertificate();
        }
        _socket.Connect(options.Endpoint);
    }

    public Task<Reply> RequestAsync(string action, JsonObject? parameters = null, CancellationToken cancellationToken = default) =>
        RequestAsync(new ActionRequest($"r{Interlocked.Increment(ref _next)}", action, parameters ?? new JsonObject()), cancellationToken);

    /// <summary>Sends the envelope and waits for its reply; throws <see cref="TimeoutException"/> after the timeout.</summary>
    public async Task<Reply> RequestAsync(ActionRequest request, CancellationToken cancellationToken = default)
    {
        var bytes = _options is { ClientId: { } id, ClientKey: { } key }
            ? RequestSigner.Sign(request, id, key, DateTimeOffset.UtcNow).ToUtf8Bytes()
            : request.ToUtf8Bytes();
        var body = await SendRawAsync(bytes, cancellationToken);
        return Reply.Parse(body);
    }

    /// <summary>Sends any bytes as the body (tests of malformed input) and returns the raw reply body.</summary>
    public async Task<byte[]> SendRawAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // The wait blocks a thread for up to the timeout: a thread of its own, so that many clients never starve
            // the thread pool that actors (in the same process, in tests and benchmarks) run on.
            return await Task.Factory.StartNew(() =>
            {
                var message = new NetMQMessage();
                if (_options.Socket == ClientSocketKind.Dealer) message.AppendEmptyFrame(); // what a REQ socket adds itself
                message.Append(body);
                if (!_socket.TrySendMultipartMessage(_options.Timeout, message))
                    throw new TimeoutException($"could not send to {_options.Endpoint} within {_options.Timeout}");
                NetMQMessage? reply = null;
                if (!_socket.TryReceiveMultipartMessage(_options.Timeout, ref reply) || reply is null)
                    throw new TimeoutException($"no reply from {_options.Endpoint} within {_options.Timeout}");
                return reply.Last.ToByteArray();
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _gate.Dispose();
    }
}
