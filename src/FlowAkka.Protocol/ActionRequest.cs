using System.Text.Json.Nodes;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Protocol;

/// <summary>
/// One validated request envelope: <c>{"request_id": str, "action": one of <see cref="ActionNames.All"/>, "params": {...}}</c>.
/// <see cref="Params"/> is the parsed object; treat it as read-only (it is shared, never copied, on the way to a handler).
/// </summary>
public sealed record ActionRequest(string RequestId, string Action, JsonObject Params)
{
    public ActionRequest(string requestId, string action) : this(requestId, action, new JsonObject()) { }

    /// <summary>The envelope as compact UTF-8 JSON, for clients (tests, the <c>call</c> command, benchmarks).</summary>
    public byte[] ToUtf8Bytes() => FlowJsonWriter.ToUtf8Bytes(new JsonObject
    {
        ["request_id"] = RequestId,
        ["action"] = Action,
        ["params"] = Params.DeepClone(),
    });
}
