namespace FlowAkka.Protocol.Json;

/// <summary>
/// A request body that is not JSON. <see cref="Message"/> follows Python's <c>json.JSONDecodeError</c> text
/// (<c>"Expecting value: line 1 column 1 (char 0)"</c>) so FlowKit clients see the same <c>decode_error</c>.
/// </summary>
public sealed class JsonDecodeException(string message) : Exception(message);
