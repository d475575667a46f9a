// Takes the `auth` member out of a request body before the envelope is validated. The protocol parser rejects
// every unknown top-level key (marshmallow RAISE) and must keep doing so; `auth` alone is lifted out here, and the
// rest of the envelope goes through ActionRequestParser unchanged, with its exact FlowKit errors.
using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Cluster.Ingress.Authentication;

/// <param name="Parsed">The envelope without <c>auth</c>, as ActionRequestParser judged it.</param>
/// <param name="HasCredential">The body had a top-level <c>auth</c> member (its value may still be null).</param>
/// <param name="Credential">That member's value, detached from the envelope.</param>
public sealed record CredentialEnvelope(ActionRequestParseResult Parsed, bool HasCredential, JsonNode? Credential)
{
    public const string CredentialKey = "auth";

    public static CredentialEnvelope Parse(ReadOnlySpan<byte> body, ProtocolLimits limits)
    {
        // Most bodies (every unsigned client) cannot hold the key at all: one vectorised scan, then the one parse.
        // "\u" covers a key spelt with escapes, which Python's json would read as "auth" too.
        if (body.Length > limits.MaxBodyBytes || (body.IndexOf("\"auth\""u8) < 0 && body.IndexOf("\\u"u8) < 0))
            return Plain(body, limits);

        JsonNode? document;
        try
        {
            document = FlowJsonReader.Parse(body, limits.MaxDepth);
        }
        catch (JsonDecodeException)
        {
            return Plain(body, limits); // the parser reports the same decode error
        }
        if (document is not JsonObject envelope || !envelope.TryGetPropertyValue(CredentialKey, out var credential))
            return Plain(body, limits);

        envelope.Remove(CredentialKey);
        // Size was checked on what the client sent; re-written text can be longer (non-ASCII becomes \uXXXX).
        var rest = FlowJsonWriter.ToUtf8Bytes(envelope);
        var parsed = ActionRequestParser.Parse(rest, limits with { MaxBodyBytes = int.MaxValue });
        return new CredentialEnvelope(parsed, true, credential);
    }

    private static CredentialEnvelope Plain(ReadOnlySpan<byte> body, ProtocolLimits limits) =>
        new(ActionRequestParser.Parse(body, limits), false, null);
}
