// marshmallow's error texts, so that FlowAPI and clients see exactly what FlowKit says.
namespace FlowAkka.Queries.Fields;

public static class Messages
{
    public const string Required = "Missing data for required field.";
    public const string Unknown = "Unknown field.";
    public const string NotNull = "Field may not be null.";
    public const string NotString = "Not a valid string.";
    public const string NotInteger = "Not a valid integer.";
    public const string NotNumber = "Not a valid number.";
    public const string NotBoolean = "Not a valid boolean.";
    public const string NotDateTime = "Not a valid datetime.";
    public const string NotList = "Not a valid list.";
    public const string InvalidInput = "Invalid input type.";
    public const string SubscriberSubset = "Must be None or a valid query id.";
    public const string Hostile = "Must not contain quotes, semicolons or SQL comment markers.";
    public const string CustomTablesUnsupported = "Custom mapping and geometry tables are not supported.";

    public static string OneOf(IEnumerable<string> choices) => $"Must be one of: {string.Join(", ", choices)}.";

    public static string ShorterThan(int min) => $"Shorter than minimum length {min}.";

    public static string LengthMustBe(int n) => $"Length must be {n}.";
}
