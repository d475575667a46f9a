// Parses request bodies the way FlowKit's Python server does (stdlib json + bytes decoding), into JsonNode trees.
// Own parser rather than System.Text.Json because we need: Python's error texts and positions, duplicate keys
// (last one wins, like a Python dict, where JsonObject would throw), and a hard nesting limit with a clean error.
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace FlowAkka.Protocol.Json;

public static class FlowJsonReader
{
    /// <summary>Decodes UTF-8 (an optional BOM is skipped, as Python's utf-8-sig detection does) and parses.</summary>
    /// <exception cref="JsonDecodeException">invalid UTF-8, invalid JSON, or nesting deeper than <paramref name="maxDepth"/>.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
            utf8 = utf8[3..];
        return Parse(DecodeUtf8(utf8), maxDepth);
    }

    /// <exception cref="JsonDecodeException">invalid JSON or nesting deeper than <paramref name="maxDepth"/>.</exception>
    public static JsonNode? Parse(string text, int maxDepth)
    {
        var scanner = new Scanner(text, maxDepth);
        return scanner.ParseDocument();
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> utf8)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(16, utf8.Length));
        try
        {
            var status = Utf8.ToUtf16(utf8, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
                return new string(chars, 0, written);
            throw new JsonDecodeException(DescribeUtf8Error(utf8, read));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    // Python's UnicodeDecodeError wording: "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte".
    private static string DescribeUtf8Error(ReadOnlySpan<byte> utf8, int position)
    {
        var b = utf8[position];
        string reason;
        var needed = b switch
        {
            >= 0xC2 and <= 0xDF => 1,
            >= 0xE0 and <= 0xEF => 2,
            >= 0xF0 and <= 0xF4 => 3,
            _ => 0,
        };
        if (needed == 0)
            reason = "invalid start byte";
        else
        {
            var available = utf8.Length - position - 1;
            var allContinuations = true;
            for (var i = 1; i <= Math.Min(needed, available); i++)
                allContinuations &= (utf8[position + i] & 0xC0) == 0x80;
            reason = available < needed && allContinuations ? "unexpected end of data" : "invalid continuation byte";
        }
        return $"'utf-8' codec can't decode byte 0x{b:x2} in position {position}: {reason}";
    }

    private sealed class Scanner(string s, int maxDepth)
    {
        private int _depth;

        public JsonNode? ParseDocument()
        {
            var idx = SkipWhitespace(0);
            var value = ParseValue(ref idx);
            idx = SkipWhitespace(idx);
            if (idx != s.Length)
                throw Error("Extra data", idx);
            return value;
        }

        private int SkipWhitespace(int idx)
        {
            while (idx < s.Length && s[idx] is ' ' or '\t' or '\n' or '\r')
                idx++;
            return idx;
        }

        private JsonDecodeException Error(string message, int pos)
        {
            var line = 1;
            var lastNewline = -1;
            for (var i = 0; i < pos && i < s.Length; i++)
            {
                if (s[i] == '\n')
                {
                    line++;
                    lastNewline = i;
                }
            }
            return new JsonDecodeException($"{message}: line {line} column {pos - lastNewline} (char {pos})");
        }

        private JsonNode? ParseValue(ref int idx)
        {
            if (idx >= s.Length)
                throw Error("Expecting value", idx);
            switch (s[idx])
            {
                case '"':
                    return JsonValue.Create(ParseString(ref idx));
                case '{':
                    return ParseObject(ref idx);
                case '[':
                    return ParseArray(ref idx);
                case 'n' when Matches(idx, "null"):
                    idx += 4;
                    return null;
                case 't' when Matches(idx, "true"):
                    idx += 4;
                    return JsonValue.Create(true);
                case 'f' when Matches(idx, "false"):
                    idx += 5;
                    return JsonValue.Create(false);
                case '-' or (>= '0' and <= '9'):
                    return ParseNumber(ref idx);
                default:
                    // Python also accepts NaN/Infinity; we refuse them: they are not JSON and cannot be echoed back.
                    throw Error("Expecting value", idx);
            }
        }

        private bool Matches(int idx, string literal) =>
            string.CompareOrdinal(s, idx, literal, 0, literal.Length) == 0;

        private void Enter(int idx)
        {
            if (++_depth > maxDepth)
                throw Error($"Maximum nesting depth of {maxDepth} exceeded", idx);
        }

        private JsonObject ParseObject(ref int idx)
        {
            Enter(idx);
            idx++;
            // Collected first, then added: duplicate keys keep the last value (Python dict semantics).
            var members = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var order = new List<string>();
            idx = SkipWhitespace(idx);
            if (idx < s.Length && s[idx] == '}')
            {
                idx++;
                _depth--;
                return new JsonObject();
            }
            while (true)
            {
                if (idx >= s.Length || s[idx] != '"')
                    throw Error("Expecting property name enclosed in double quotes", idx);
                var key = ParseString(ref idx);
                idx = SkipWhitespace(idx);
                if (idx >= s.Length || s[idx] != ':')
                    throw Error("Expecting ':' delimiter", idx);
                idx = SkipWhitespace(idx + 1);
                var value = ParseValue(ref idx);
                if (!members.ContainsKey(key))
                    order.Add(key);
                members[key] = value;
                idx = SkipWhitespace(idx);
                if (idx < s.Length && s[idx] == '}')
                {
                    idx++;
                    break;
                }
                if (idx >= s.Length || s[idx] != ',')
                    throw Error("Expecting ',' delimiter", idx);
                idx = SkipWhitespace(idx + 1);
            }
            _depth--;
            var obj = new JsonObject();
            foreach (var key in order)
                obj[key] = members[key];
            return obj;
        }

        private JsonArray ParseArray(ref int idx)
        {
            Enter(idx);
            idx++;
            var array = new JsonArray();
            idx = SkipWhitespace(idx);
            if (idx < s.Length && s[idx] == ']')
            {
                idx++;
                _depth--;
                return array;
            }
            while (true)
            {
                array.Add(ParseValue(ref idx));
                idx = SkipWhitespace(idx);
                if (idx < s.Length && s[idx] == ']')
                {
                    idx++;
                    break;
                }
                if (idx >= s.Length || s[idx] != ',')
                    throw Error("Expecting ',' delimiter", idx);
                idx = SkipWhitespace(idx + 1);
            }
            _depth--;
            return array;
        }

        // Same grammar as Python's NUMBER_RE: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? ; whatever follows is left
        // to the caller ("01" → 0 then "Extra data", like Python).
        private JsonNode ParseNumber(ref int idx)
        {
            var start = idx;
            var i = idx;
            if (s[i] == '-')
                i++;
            if (i >= s.Length || !char.IsAsciiDigit(s[i]))
                throw Error("Expecting value", start);
            if (s[i] == '0')
                i++;
            else
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
            if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
            {
                i += 2;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
            }
            if (i < s.Length && s[i] is 'e' or 'E')
            {
                var j = i + 1;
                if (j < s.Length && s[j] is '+' or '-')
                    j++;
                if (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    while (j < s.Length && char.IsAsciiDigit(s[j]))
                        j++;
                    i = j;
                }
            }
            idx = i;
            var text = s.AsSpan(start, i - start);
            // A JsonElement-backed value keeps the exact digits (echoed back unchanged) and converts to any numeric
            // type on GetValue<T>(), exactly like nodes from JsonNode.Parse.
            var utf8 = new byte[text.Length];
            for (var k = 0; k < text.Length; k++)
                utf8[k] = (byte)text[k];
            return JsonValue.Create(JsonElement.Parse(utf8))!;
        }

        private string ParseString(ref int idx)
        {
            var begin = idx; // position of the opening quote, as Python reports it
            var i = idx + 1;
            StringBuilder? sb = null;
            var chunkStart = i;
            while (true)
            {
                if (i >= s.Length)
                    throw Error("Unterminated string starting at", begin);
                var c = s[i];
                if (c == '"')
                    break;
                if (c < 0x20)
                    throw Error("Invalid control character at", i);
                if (c != '\\')
                {
                    i++;
                    continue;
                }
                sb ??= new StringBuilder();
                sb.Append(s, chunkStart, i - chunkStart);
                if (i + 1 >= s.Length)
                    throw Error("Unterminated string starting at", begin);
                var esc = s[i + 1];
                switch (esc)
                {
                    case '"': sb.Append('"'); i += 2; break;
                    case '\\': sb.Append('\\'); i += 2; break;
                    case '/': sb.Append('/'); i += 2; break;
                    case 'b': sb.Append('\b'); i += 2; break;
                    case 'f': sb.Append('\f'); i += 2; break;
                    case 'n': sb.Append('\n'); i += 2; break;
                    case 'r': sb.Append('\r'); i += 2; break;
                    case 't': sb.Append('\t'); i += 2; break;
                    case 'u':
                        sb.Append(ParseHex4(i + 2, i + 1));
                        i += 6;
                        break;
                    default:
                        throw Error("Invalid \\escape", i);
                }
                chunkStart = i;
            }
            idx = i + 1;
            if (sb is null)
                return s.Substring(begin + 1, i - begin - 1);
            sb.Append(s, chunkStart, i - chunkStart);
            return sb.ToString();
        }

        private char ParseHex4(int at, int errorPos)
        {
            if (at + 4 > s.Length || !ushort.TryParse(s.AsSpan(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                throw Error("Invalid \\uXXXX escape", errorPos);
            // Surrogate halves are kept as they are; a valid pair simply forms the character again.
            return (char)code;
        }
    }
}
