// Writes JsonNode trees the way FlowKit's server does: compact like rapidjson.dumps for replies, and indented
// like Python's json.dumps(indent=2) inside error texts. Both escape every non-ASCII character (\uXXXX), as
// Python's ensure_ascii default does, so the bytes on the wire are plain ASCII and lone surrogates never fail.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowAkka.Protocol.Json;

public static class FlowJsonWriter
{
    /// <summary>Compact JSON (no spaces), keys in insertion order.</summary>
    public static string ToCompactString(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, indent: null, level: 0);
        return sb.ToString();
    }

    /// <summary>Compact JSON as UTF-8 bytes (ASCII only, see the file comment).</summary>
    public static byte[] ToUtf8Bytes(JsonNode? node) => Encoding.ASCII.GetBytes(ToCompactString(node));

    /// <summary>Python's <c>json.dumps(node, indent=2)</c>: items separated by ",\n", keys by ": ", empty containers as {} and [].</summary>
    public static string ToIndentedString(JsonNode? node, int indent = 2)
    {
        var sb = new StringBuilder();
        Write(sb, node, indent, level: 0);
        return sb.ToString();
    }

    /// <summary>Python's <c>textwrap.indent(text, prefix)</c>: the prefix goes before every line that is not blank.</summary>
    public static string IndentLines(string text, string prefix)
    {
        var sb = new StringBuilder(text.Length + prefix.Length * 8);
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl + 1;
            var line = text.AsSpan(start, end - start);
            if (!line.IsWhiteSpace())
                sb.Append(prefix);
            sb.Append(line);
            start = end;
        }
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int? indent, int level)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append('{');
                var firstMember = true;
                foreach (var (key, value) in obj)
                {
                    if (!firstMember)
                        sb.Append(',');
                    firstMember = false;
                    NewLine(sb, indent, level + 1);
                    WriteString(sb, key, indent is not null);
                    sb.Append(indent is null ? ":" : ": ");
                    Write(sb, value, indent, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    NewLine(sb, indent, level + 1);
                    Write(sb, array[i], indent, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value, indent is not null);
                break;
        }
    }

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        if (indent is { } n)
            sb.Append('\n').Append(' ', n * level);
    }

    private static void WriteValue(StringBuilder sb, JsonValue value, bool pythonStyle)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.TryGetValue<string>(out var str)
                    ? str
                    // e.g. a DateTime or Guid value: let System.Text.Json format it, then re-escape our way.
                    : JsonDocument.Parse(value.ToJsonString()).RootElement.GetString() ?? "";
                WriteString(sb, text, pythonStyle);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue<JsonElement>(out var element))
                    sb.Append(element.GetRawText());
                else if (value.TryGetValue<double>(out var d) && !double.IsFinite(d))
                    sb.Append("null"); // NaN/Infinity are not JSON; never fail a reply because of one
                else if (value.TryGetValue<float>(out var f) && !float.IsFinite(f))
                    sb.Append("null");
                else
                    sb.Append(value.ToJsonString());
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>A JSON string as Python's json.dumps writes it with ensure_ascii: only printable ASCII stays as it
    /// is, everything else becomes \uXXXX (lowercase hex, as Python, or uppercase).</summary>
    public static void WriteString(StringBuilder sb, string s, bool lowercaseHex)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                        sb.Append("\\u").Append(((int)c).ToString(lowercaseHex ? "x4" : "X4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
