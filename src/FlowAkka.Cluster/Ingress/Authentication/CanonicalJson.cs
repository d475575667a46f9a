// The params text that request MACs cover. It must come out byte for byte the same in every client language, so it
// is defined as Python's json.dumps(params, sort_keys=True, separators=(",", ":")) (ensure_ascii on) of the params
// as Python's json.loads would read them: keys sorted by code point, non-ASCII escaped as lowercase \uXXXX,
// integers as their digits, other numbers as Python's float repr.
using System.Globalization;
using System.Text;
using FlowAkka.Protocol.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowAkka.Cluster.Ingress.Authentication;

public static class CanonicalJson
{
    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                var keys = new List<string>(obj.Count);
                foreach (var (key, _) in obj)
                    keys.Add(key);
                keys.Sort(CompareByCodePoint);
                sb.Append('{');
                for (var i = 0; i < keys.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    WriteString(sb, keys[i]);
                    sb.Append(':');
                    Write(sb, obj[keys[i]]);
                }
                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    Write(sb, array[i]);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        // Values built in code (not parsed) are normalised through their JSON text, so both paths agree.
        var element = value.TryGetValue<JsonElement>(out var parsed)
            ? parsed
            : JsonDocument.Parse(value.ToJsonString()).RootElement;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                WriteNumber(sb, element.GetRawText());
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    // Python reads a number token without fraction or exponent as an int (any size, "-0" is 0), everything else
    // as a float, which json.dumps writes with float.__repr__.
    private static void WriteNumber(StringBuilder sb, string token)
    {
        if (token.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            sb.Append(token == "-0" ? "0" : token);
            return;
        }
        sb.Append(PythonFloatRepr(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture)));
    }

    /// <summary>Python's <c>repr(float)</c> (what json.dumps writes): shortest round-trip digits, exponent form
    /// when the decimal exponent is below -4 or above 16, ".0" on whole numbers; NaN/Infinity as json.dumps spells them.</summary>
    public static string PythonFloatRepr(double d)
    {
        if (double.IsNaN(d))
            return "NaN";
        if (double.IsInfinity(d))
            return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";

        // .NET's "R" is the shortest round-trip form too; only the layout differs from Python's.
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
            r = r[1..];
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.');
        var integral = dot < 0 ? r : r[..dot];
        var fraction = dot < 0 ? "" : r[(dot + 1)..];
        var digits = integral + fraction;
        var pointAt = integral.Length + exponent; // value = 0.<digits> * 10^pointAt
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
            leading++;
        digits = digits[leading..];
        pointAt -= leading;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";

        var sb = new StringBuilder(32);
        if (negative)
            sb.Append('-');
        if (pointAt <= -4 || pointAt > 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            var exp = pointAt - 1;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (pointAt <= 0)
        {
            sb.Append("0.").Append('0', -pointAt).Append(digits);
        }
        else if (pointAt >= digits.Length)
        {
            sb.Append(digits).Append('0', pointAt - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, pointAt).Append('.').Append(digits, pointAt, digits.Length - pointAt);
        }
        return sb.ToString();
    }

    // json.dumps with ensure_ascii: only printable ASCII (space..~) stays as it is, escapes in lowercase hex.
    private static void WriteString(StringBuilder sb, string s) => FlowJsonWriter.WriteString(sb, s, lowercaseHex: true);

    /// <summary>Python's str ordering: by code point (UTF-16 ordinal order differs for characters beyond U+FFFF).</summary>
    public static int CompareByCodePoint(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var ca = NextCodePoint(a, ref i);
            var cb = NextCodePoint(b, ref j);
            if (ca != cb)
                return ca.CompareTo(cb);
        }
        return (i < a.Length ? 1 : 0) - (j < b.Length ? 1 : 0);
    }

    // A lone surrogate stays one code point, as in a Python str.
    private static int NextCodePoint(string s, ref int i)
    {
        var c = s[i++];
        if (char.IsHighSurrogate(c) && i < s.Length && char.IsLowSurrogate(s[i]))
            return char.ConvertToUtf32(c, s[i++]);
        return c;
    }
}
