// Writes JSON with object keys sorted ordinally and no whitespace: the input of the query id hash.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Fields;

public static class CanonicalJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Escaping must not depend on the runtime's defaults, or ids would change between versions.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(JsonNode? node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            WriteNode(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteNode(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            element.WriteTo(writer);
        }
        else if (value.TryGetValue<string>(out var s))
        {
            writer.WriteStringValue(s);
        }
        else if (value.TryGetValue<bool>(out var b))
        {
            writer.WriteBooleanValue(b);
        }
        else if (value.TryGetValue<long>(out var l))
        {
            writer.WriteNumberValue(l);
        }
        else if (value.TryGetValue<int>(out var i))
        {
            writer.WriteNumberValue(i);
        }
        else if (value.TryGetValue<double>(out var d))
        {
            writer.WriteNumberValue(d);
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
