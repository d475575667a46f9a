using System.Text.Json.Nodes;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Protocol;

public enum ReplyStatus
{
    Success,
    Error,
}

/// <summary>
/// The reply envelope <c>{"status": "success"|"error", "msg": str, "payload": {...}}</c>, always written in that key
/// order. The factories hold FlowKit's exact texts (flowkit-reference §1.4, §1.5, §4.1); use them rather than literals.
/// </summary>
public sealed record Reply(ReplyStatus Status, string Msg, JsonObject Payload)
{
    public const string InvalidJsonMsg = "Invalid JSON.";
    public const string InvalidActionRequestMsg = "Invalid action request.";
    public const string CouldNotGetReplyMsg = "Could not get reply for message";
    public const string ServerBusyMsg = "Server busy: too many requests in flight.";
    public const string ParameterValidationFailedMsg = "Parameter validation failed.";

    public bool IsSuccess => Status == ReplyStatus.Success;

    public static Reply Success(JsonObject? payload = null, string msg = "") =>
        new(ReplyStatus.Success, msg, Own(payload));

    public static Reply Error(string msg, JsonObject? payload = null) =>
        new(ReplyStatus.Error, msg, Own(payload));

    /// <summary><c>ping</c>'s answer.</summary>
    public static Reply Pong() => Success(msg: "pong");

    public static Reply InvalidJson(string decodeError) =>
        Error(InvalidJsonMsg, new JsonObject { ["decode_error"] = decodeError });

    /// <summary>Envelope validation failed; <paramref name="fieldErrors"/> is marshmallow-shaped: field → [messages].</summary>
    public static Reply InvalidActionRequest(JsonObject fieldErrors) => Error(InvalidActionRequestMsg, fieldErrors);

    /// <summary>Python's TypeError when params do not match the handler's keyword arguments.</summary>
    public static Reply WrongArguments(string action) =>
        Error($"Internal flowmachine server error: wrong arguments passed to handler for action '{action}'.");

    public static Reply InvalidHandlerReply(string action) =>
        Error($"Internal flowmachine server error: handler for action '{action}' returned an invalid reply.");

    /// <summary>Any unexpected failure (and, here, a handler that did not answer in time).</summary>
    public static Reply CouldNotGetReply() => Error(CouldNotGetReplyMsg);

    public static Reply ServerBusy() => Error(ServerBusyMsg);

    /// <summary>Unknown query id.</summary>
    public static Reply Awol(string queryId) =>
        Error($"Unknown query id: '{queryId}'", new JsonObject { ["query_id"] = queryId, ["query_state"] = QueryStates.Awol });

    /// <summary>get_sql / get_geo_sql on a query that is not completed: "Query with id '&lt;id&gt;' is queued." etc.</summary>
    public static Reply QueryNotReady(string queryId, QueryState state) =>
        Error($"Query with id '{queryId}' {state.Description()}.",
            new JsonObject { ["query_id"] = queryId, ["query_state"] = state.ToWireName() });

    public static Reply NoGeoJsonRepresentation(string queryId) =>
        Error($"Query with id '{queryId}' has no geojson compatible representation.",
            new JsonObject { ["query_id"] = queryId, ["query_state"] = QueryState.Errored.ToWireName() });

    /// <summary>
    /// run_query (and get_aggregation_unit) spec validation failure. The message embeds both documents as Python's
    /// <c>textwrap.indent(json.dumps(x, indent=2), "   ")</c>; the payload carries the messages themselves.
    /// </summary>
    public static Reply ParameterValidationFailed(JsonObject actionParams, JsonNode validationErrorMessages)
    {
        var paramsText = FlowJsonWriter.IndentLines(FlowJsonWriter.ToIndentedString(actionParams), "   ");
        var errorsText = FlowJsonWriter.IndentLines(FlowJsonWriter.ToIndentedString(validationErrorMessages), "   ");
        var msg = ParameterValidationFailedMsg + "\n\n" +
                  $"The action parameters were:\n{paramsText}.\n\n" +
                  $"Validation error messages:\n{errorsText}.\n\n";
        return Error(msg, new JsonObject { ["validation_error_messages"] = Own(validationErrorMessages) });
    }

    /// <summary>get_geography with a bad unit: short message, the field errors are the whole payload.</summary>
    public static Reply GeographyValidationFailed(JsonObject fieldErrors) => Error(ParameterValidationFailedMsg, fieldErrors);

    /// <summary>A TypeError inside the query schema (FlowKit's LoadQueryError path).</summary>
    public static Reply CouldNotCreateQueryObject(JsonObject actionParams, string originalError) =>
        Error("Internal flowmachine server error: could not create query object using query schema. " +
              $"The original error was: '{originalError}'",
            new JsonObject { ["params"] = Own(actionParams), ["orig_error_msg"] = originalError });

    /// <summary>Any other exception while creating/storing the query.</summary>
    public static Reply UnableToCreateQueryObject(string exception) =>
        Error("Unable to create query object.", new JsonObject { ["exception"] = exception });

    /// <summary>Compact UTF-8 JSON, keys in the order status, msg, payload.</summary>
    public byte[] ToUtf8Bytes() => FlowJsonWriter.ToUtf8Bytes(ToJsonObject());

    public override string ToString() => FlowJsonWriter.ToCompactString(ToJsonObject());

    private JsonObject ToJsonObject() => new()
    {
        ["status"] = Status == ReplyStatus.Success ? "success" : "error",
        ["msg"] = Msg,
        // Serialising must not move the payload out of this record (a node has one parent).
        ["payload"] = Payload.DeepClone(),
    };

    /// <summary>Reads a reply (clients and tests). Throws <see cref="JsonDecodeException"/> or <see cref="FormatException"/>.</summary>
    public static Reply Parse(ReadOnlySpan<byte> utf8)
    {
        if (FlowJsonReader.Parse(utf8, 512) is not JsonObject obj)
            throw new FormatException("A reply must be a JSON object.");
        var status = obj["status"]?.GetValue<string>() switch
        {
            "success" => ReplyStatus.Success,
            "error" => ReplyStatus.Error,
            var other => throw new FormatException($"Unknown reply status '{other}'."),
        };
        var msg = obj["msg"]?.GetValue<string>() ?? "";
        var payload = obj["payload"] as JsonObject ?? new JsonObject();
        obj.Remove("payload");
        return new Reply(status, msg, payload);
    }

    private static JsonObject Own(JsonObject? payload) =>
        payload is null ? new JsonObject() : payload.Parent is null ? payload : payload.DeepClone().AsObject();

    private static JsonNode? Own(JsonNode? node) => node is null || node.Parent is null ? node : node.DeepClone();
}
