using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Ingress;

/// <summary>How the ZMQ ingress binds and what it lets through. Defaults match FlowKit (plaintext ROUTER on port 5555).</summary>
public sealed record IngressSettings
{
    public const string DefaultEndpoint = "tcp://*:5555";

    /// <summary>ZMQ bind address; <c>tcp://127.0.0.1:0</c> picks a free port (see <see cref="ZmqIngress.Port"/>).</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    public ProtocolLimits Limits { get; init; } = ProtocolLimits.Default;

    /// <summary>
    /// Frames up to MaxBodyBytes + this margin still reach the parser and get a clean "too large" reply; anything
    /// bigger is cut by the socket itself (ZMQ_MAXMSGSIZE drops the connection), so memory stays bounded.
    /// </summary>
    public int SocketFrameMargin { get; init; } = 64 * 1024;

    public int MaxRequestsInFlight { get; init; } = 10_000;

    /// <summary>A request whose handler has not answered by then gets "Could not get reply for message".</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Send and receive high-water marks (messages) of the ROUTER socket.</summary>
    public int HighWaterMark { get; init; } = 100_000;

    /// <summary>Server secret key (Z85, 40 characters). Null = plaintext, like FlowKit.</summary>
    public string? CurveSecretKeyZ85 { get; init; }

    /// <summary>Server public key (Z85). Optional: derived from the secret key when null.</summary>
    public string? CurvePublicKeyZ85 { get; init; }

    /// <summary>
    /// Client key set file (<c>{"clients": {"id": "base64 key"}}</c>): when set, every request must carry a valid
    /// <c>auth</c> credential (see RequestAuthenticator) or it is refused before any actor sees it. Null = off, and an
    /// <c>auth</c> member is accepted and ignored. The file is re-read when it changes.
    /// </summary>
    public string? ClientKeysFile { get; init; }

    public AuthenticationOptions Authentication { get; init; } = AuthenticationOptions.Default;

    public bool UsesClientAuthentication => ClientKeysFile is not null;

    /// <summary>Answer params that do not fit the action (FlowKit's TypeError) on the socket thread, before any actor.</summary>
    public bool CheckActionParameters { get; init; } = true;

    /// <summary>Have <see cref="IngressSetup.Start"/> stop the ingress in coordinated shutdown's service-unbind phase.</summary>
    public bool StopOnCoordinatedShutdown { get; init; } = true;

    public bool UsesCurve => CurveSecretKeyZ85 is not null;

    public static IngressSettings ForPort(int port) => new() { Endpoint = $"tcp://*:{port}" };
}
