using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Protocol;

/// <summary>Either a valid request or the error reply to send instead.</summary>
public sealed record ActionRequestParseResult
{
    private ActionRequestParseResult(ActionRequest? request, Reply? error)
    {
        Request = request;
        Error = error;
    }

    public ActionRequest? Request { get; }
    public Reply? Error { get; }

    [MemberNotNullWhen(true, nameof(Request))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Request is not null;

    public static ActionRequestParseResult Valid(ActionRequest request) => new(request, null);
    public static ActionRequestParseResult Invalid(Reply error) => new(null, error);
}

/// <summary>
/// Body bytes → <see cref="ActionRequest"/>, with FlowKit's envelope errors: "Invalid JSON." (payload decode_error)
/// and "Invalid action request." with marshmallow 3's field messages, in its order (declared fields, then unknown keys).
/// </summary>
public static class ActionRequestParser
{
    public const string MissingField = "Missing data for required field.";
    public const string NullField = "Field may not be null.";
    public const string NotAString = "Not a valid string.";
    public const string NotAMapping = "Not a valid mapping type.";
    public const string UnknownField = "Unknown field.";
    public const string InvalidInputType = "Invalid input type.";

    /// <summary>marshmallow's OneOf text for the action field: "Must be one of: ping, ..., reset_query."</summary>
    public static string MustBeOneOfActions { get; } = $"Must be one of: {string.Join(", ", ActionNames.All)}.";

    private static readonly HashSet<string> EnvelopeKeys = ["action", "request_id", "params"];

    public static ActionRequestParseResult Parse(ReadOnlySpan<byte> body, ProtocolLimits limits)
    {
        if (body.Length > limits.MaxBodyBytes)
        {
            return ActionRequestParseResult.Invalid(Reply.InvalidActionRequest(new JsonObject
            {
                ["_schema"] = Messages($"Request body of {body.Length} bytes exceeds the limit of {limits.MaxBodyBytes} bytes."),
            }));
        }

        JsonNode? document;
        try
        {
            document = FlowJsonReader.Parse(body, limits.MaxDepth);
        }
        catch (JsonDecodeException e)
        {
            return ActionRequestParseResult.Invalid(Reply.InvalidJson(e.Message));
        }

        if (document is not JsonObject envelope)
            return ActionRequestParseResult.Invalid(Reply.InvalidActionRequest(new JsonObject { ["_schema"] = Messages(InvalidInputType) }));

        var errors = new JsonObject();
        var action = ReadString(envelope, "action", errors);
        if (action is not null && !ActionNames.IsKnown(action))
        {
            errors["action"] = Messages(MustBeOneOfActions);
            action = null;
        }
        var requestId = ReadString(envelope, "request_id", errors);

        JsonObject? parameters = null;
        if (!envelope.TryGetPropertyValue("params", out var paramsNode))
            parameters = new JsonObject();
        else if (paramsNode is null)
            errors["params"] = Messages(NullField);
        else if (paramsNode is JsonObject obj)
            parameters = obj;
        else
            errors["params"] = Messages(NotAMapping);

        foreach (var (key, _) in envelope)
        {
            if (!EnvelopeKeys.Contains(key))
                errors[key] = Messages(UnknownField);
        }

        if (errors.Count > 0 || action is null || requestId is null || parameters is null)
            return ActionRequestParseResult.Invalid(Reply.InvalidActionRequest(errors));

        // Detach params from the envelope so the request owns it (a JsonNode has a single parent).
        envelope.Remove("params");
        return ActionRequestParseResult.Valid(new ActionRequest(requestId, action, parameters));
    }

    private static string? ReadString(JsonObject envelope, string key, JsonObject errors)
    {
        if (!envelope.TryGetPropertyValue(key, out var node))
        {
            errors[key] = Messages(MissingField);
            return null;
        }
        if (node is null)
        {
            errors[key] = Messages(NullField);
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            return value.GetValue<string>();
        errors[key] = Messages(NotAString);
        return null;
    }

    private static JsonArray Messages(params string[] messages)
    {
        var array = new JsonArray();
        foreach (var m in messages)
            array.Add(m);
        return array;
    }
}
