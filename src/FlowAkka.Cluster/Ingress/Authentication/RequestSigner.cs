// Client side of request authentication: the `auth` member a signing client adds to the envelope, and the MAC
// definition the server checks (RequestAuthenticator uses the same ComputeMac).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Cluster.Ingress.Authentication;

/// <summary>The envelope's <c>auth</c> member: <c>{"client", "ts", "nonce", "mac"}</c>.</summary>
public sealed record RequestCredential(string ClientId, long Timestamp, string Nonce, string Mac)
{
    public JsonObject ToJsonObject() => new()
    {
        ["client"] = ClientId,
        ["ts"] = Timestamp,
        ["nonce"] = Nonce,
        ["mac"] = Mac,
    };
}

/// <summary>A request with its credential; send <see cref="ToUtf8Bytes"/> as the body.</summary>
public sealed record SignedActionRequest(ActionRequest Request, RequestCredential Credential)
{
    public byte[] ToUtf8Bytes() => FlowJsonWriter.ToUtf8Bytes(new JsonObject
    {
        ["request_id"] = Request.RequestId,
        ["action"] = Request.Action,
        ["params"] = Request.Params.DeepClone(),
        ["auth"] = Credential.ToJsonObject(),
    });
}

public static class RequestSigner
{
    /// <summary>Signs with a fresh random nonce and <paramref name="now"/> as the timestamp (unix seconds).</summary>
    public static SignedActionRequest Sign(ActionRequest request, string clientId, byte[] key, DateTimeOffset now) =>
        Sign(request, clientId, key, now, NewNonce());

    /// <summary>Signs with a given nonce (tests, replays on purpose). Never reuse a nonce within the clock window.</summary>
    public static SignedActionRequest Sign(ActionRequest request, string clientId, byte[] key, DateTimeOffset now, string nonce)
    {
        var ts = now.ToUnixTimeSeconds();
        // Sign the params as the server will read them: what FlowJsonWriter sends, parsed back (a double 1.0 built
        // in code goes out as "1.0" or "1" depending on how it was made; the server only ever sees the text).
        var sent = FlowJsonReader.Parse(FlowJsonWriter.ToUtf8Bytes(request.Params), maxDepth: 1_000);
        var mac = ComputeMac(key, request.RequestId, request.Action, ts, nonce, sent);
        return new SignedActionRequest(request, new RequestCredential(clientId, ts, nonce, Convert.ToBase64String(mac)));
    }

    /// <summary>128 random bits as 32 lowercase hex characters.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The signed text: <c>request_id \n action \n ts \n nonce \n canonical params</c>, UTF-8, where the params are
    /// <see cref="CanonicalJson"/> (Python's <c>json.dumps(params, sort_keys=True, separators=(",", ":"))</c>).
    /// </summary>
    public static byte[] CanonicalBytes(string requestId, string action, long timestamp, string nonce, JsonNode? parameters) =>
        Encoding.UTF8.GetBytes(string.Concat(
            requestId, "\n", action, "\n", timestamp.ToString(CultureInfo.InvariantCulture), "\n", nonce, "\n",
            CanonicalJson.Write(parameters)));

    /// <summary>HMAC-SHA256(key, <see cref="CanonicalBytes"/>), 32 bytes.</summary>
    public static byte[] ComputeMac(byte[] key, string requestId, string action, long timestamp, string nonce, JsonNode? parameters) =>
        HMACSHA256.HashData(key, CanonicalBytes(requestId, action, timestamp, nonce, parameters));
}
