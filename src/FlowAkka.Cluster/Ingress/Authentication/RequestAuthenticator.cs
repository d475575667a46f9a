// Server side of request authentication (NetMQ has no ZAP, so CURVE cannot tell clients apart): checks the `auth`
// member of each request against the client key set. No I/O and an explicit clock, so it is tested directly.
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowAkka.Protocol;

namespace FlowAkka.Cluster.Ingress.Authentication;

public sealed record AuthenticationOptions
{
    public static AuthenticationOptions Default { get; } = new();

    /// <summary>How far a request's ts may be from the server clock, either way.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Nonces remembered per client (each until its ts leaves the window). When full, that client's new requests
    /// are refused rather than forgetting a nonce that could then be replayed. 200k ≈ 660 requests/s sustained
    /// over the default ±300 s, at roughly 100 bytes each.
    /// </summary>
    public int MaxNoncesPerClient { get; init; } = 200_000;

    /// <summary>How often the key file is stat'ed for changes besides the watcher's events.</summary>
    public TimeSpan KeyFileCheckInterval { get; init; } = ClientKeyFile.DefaultCheckInterval;
}

public enum AuthenticationFailure
{
    MissingCredential,
    MalformedCredential,
    StaleTimestamp,
    UnknownClient,
    BadSignature,
    ReplayedNonce,
    ReplayWindowFull,
}

/// <summary>Who sent the request, or why it is refused. <see cref="Reason"/> is what the client is told.</summary>
public sealed record AuthenticationResult
{
    private AuthenticationResult(string? clientId, AuthenticationFailure? failure, string reason)
    {
        ClientId = clientId;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The authenticated client; for a failure, the client the credential claimed (for logs), if any.</summary>
    public string? ClientId { get; }

    public AuthenticationFailure? Failure { get; }

    public string Reason { get; }

    public bool IsAuthenticated => Failure is null;

    public static AuthenticationResult Authenticated(string clientId) => new(clientId, null, "");

    public static AuthenticationResult Refused(AuthenticationFailure failure, string reason, string? claimedClient = null) =>
        new(claimedClient, failure, reason);

    /// <summary><c>{"status":"error","msg":"Authentication failed: &lt;reason&gt;.","payload":{}}</c></summary>
    public Reply ToReply() => Reply.Error($"{RequestAuthenticator.FailedPrefix}{Reason}.");
}

public sealed class RequestAuthenticator
{
    public const string FailedPrefix = "Authentication failed: ";
    public const int MinNonceLength = 8;
    public const int MaxNonceLength = 64;
    private const int MacBytes = 32;

    // Unknown client and wrong MAC read the same to the caller, so client ids cannot be probed for.
    private const string InvalidSignatureReason = "unknown client or invalid signature";

    private static readonly HashSet<string> CredentialKeys = ["client", "ts", "nonce", "mac"];

    private readonly IClientKeySource _keys;
    private readonly AuthenticationOptions _options;
    private readonly long _skewSeconds;
    private readonly Dictionary<string, NonceWindow> _nonces = new(StringComparer.Ordinal);

    public RequestAuthenticator(IClientKeySource keys, AuthenticationOptions? options = null)
    {
        _keys = keys;
        _options = options ?? AuthenticationOptions.Default;
        _skewSeconds = (long)Math.Ceiling(_options.MaxClockSkew.TotalSeconds);
    }

    public AuthenticationOptions Options => _options;

    /// <summary>
    /// Checks <paramref name="credential"/> (the envelope's <c>auth</c> value; null when absent) for
    /// <paramref name="request"/>. Thread-safe. A nonce is remembered only once the MAC is right, so nobody without
    /// the key can fill a client's nonce memory.
    /// </summary>
    public AuthenticationResult Authenticate(ActionRequest request, JsonNode? credential, DateTimeOffset now)
    {
        if (credential is null)
            return AuthenticationResult.Refused(AuthenticationFailure.MissingCredential, "missing credential (no auth member in the request)");
        if (Malformed(credential) is { } malformed)
            return AuthenticationResult.Refused(AuthenticationFailure.MalformedCredential, malformed);

        var auth = credential.AsObject();
        var clientId = auth["client"]!.GetValue<string>();
        var nonce = auth["nonce"]!.GetValue<string>();
        var timestamp = ReadInteger(auth["ts"])!.Value;
        var nowSeconds = now.ToUnixTimeSeconds();

        // Cheapest check first: stale junk costs no HMAC.
        if (timestamp < nowSeconds - _skewSeconds || timestamp > nowSeconds + _skewSeconds)
        {
            return AuthenticationResult.Refused(AuthenticationFailure.StaleTimestamp,
                $"timestamp {timestamp} is more than {_skewSeconds} s away from the server time {nowSeconds}", clientId);
        }

        Span<byte> presented = stackalloc byte[MacBytes + 3];
        if (!Convert.TryFromBase64String(auth["mac"]!.GetValue<string>(), presented, out var written) || written != MacBytes)
            return AuthenticationResult.Refused(AuthenticationFailure.MalformedCredential, "mac must be the base64 of 32 bytes (HMAC-SHA256)", clientId);

        if (!_keys.Current.TryGetKey(clientId, out var key))
            return AuthenticationResult.Refused(AuthenticationFailure.UnknownClient, InvalidSignatureReason, clientId);
        var expected = RequestSigner.ComputeMac(key, request.RequestId, request.Action, timestamp, nonce, request.Params);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented[..MacBytes]))
            return AuthenticationResult.Refused(AuthenticationFailure.BadSignature, InvalidSignatureReason, clientId);

        return Remember(clientId, nonce, timestamp + _skewSeconds, nowSeconds) switch
        {
            NonceOutcome.New => AuthenticationResult.Authenticated(clientId),
            NonceOutcome.Replayed => AuthenticationResult.Refused(AuthenticationFailure.ReplayedNonce, "nonce already used (replayed request)", clientId),
            _ => AuthenticationResult.Refused(AuthenticationFailure.ReplayWindowFull,
                $"too many requests from this client within ±{_skewSeconds} s; retry later", clientId),
        };
    }

    /// <summary>Nonces held for <paramref name="clientId"/> (tests and management).</summary>
    public int RememberedNonces(string clientId)
    {
        lock (_nonces)
            return _nonces.TryGetValue(clientId, out var window) ? window.Count : 0;
    }

    private static string? Malformed(JsonNode credential)
    {
        const string shape = "auth must be an object {\"client\": str, \"ts\": int, \"nonce\": str, \"mac\": str}";
        if (credential is not JsonObject auth)
            return shape;
        foreach (var (key, _) in auth)
        {
            if (!CredentialKeys.Contains(key))
                return $"unknown auth member '{Truncate(key)}'";
        }
        if (ReadString(auth["client"]) is not { Length: > 0 and <= ClientKeySet.MaxClientIdLength })
            return $"auth.client must be a string of 1 to {ClientKeySet.MaxClientIdLength} characters";
        if (ReadInteger(auth["ts"]) is null)
            return "auth.ts must be an integer (unix seconds)";
        if (ReadString(auth["nonce"]) is not { Length: >= MinNonceLength and <= MaxNonceLength })
            return $"auth.nonce must be a string of {MinNonceLength} to {MaxNonceLength} characters";
        if (ReadString(auth["mac"]) is null)
            return "auth.mac must be a base64 string";
        return null;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static string? ReadString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? ReadInteger(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return null;
        if (v.TryGetValue<JsonElement>(out var element))
        {
            // "1.0" or "1e3" are not integers on the wire: TryGetInt64 refuses fractions and exponents.
            var raw = element.GetRawText();
            return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && element.TryGetInt64(out var n) ? n : null;
        }
        return v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : null;
    }

    private enum NonceOutcome { New, Replayed, Full }

    private NonceOutcome Remember(string clientId, string nonce, long expiresAt, long nowSeconds)
    {
        lock (_nonces)
        {
            if (!_nonces.TryGetValue(clientId, out var window))
                _nonces[clientId] = window = new NonceWindow();
            return window.TryAdd(nonce, expiresAt, nowSeconds, _options.MaxNoncesPerClient);
        }
    }

    /// <summary>One client's nonces, each kept until its ts leaves the clock window (then the ts check refuses it).</summary>
    private sealed class NonceWindow
    {
        private readonly Dictionary<string, long> _expiry = new(StringComparer.Ordinal);
        private readonly PriorityQueue<string, long> _byExpiry = new();

        public int Count => _expiry.Count;

        public NonceOutcome TryAdd(string nonce, long expiresAt, long nowSeconds, int capacity)
        {
            while (_byExpiry.TryPeek(out var oldest, out var at) && at < nowSeconds)
            {
                _byExpiry.Dequeue();
                _expiry.Remove(oldest);
            }
            if (_expiry.ContainsKey(nonce))
                return NonceOutcome.Replayed;
            if (_expiry.Count >= capacity)
                return NonceOutcome.Full;
            _expiry.Add(nonce, expiresAt);
            _byExpiry.Enqueue(nonce, expiresAt);
            return NonceOutcome.New;
        }
    }
}
