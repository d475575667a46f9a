// Reads one spec object field by field, filling in defaults and collecting marshmallow-style errors.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Fields;

public sealed class SpecReader
{
    private readonly JsonObject _spec;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal) { "query_kind" };

    public SpecReader(JsonObject spec, string queryKind)
    {
        _spec = spec;
        QueryKind = queryKind;
        Normalised["query_kind"] = queryKind;
    }

    public string QueryKind { get; }

    /// <summary>Nested error object, FlowKit's <c>validation_error_messages</c>.</summary>
    public JsonObject Errors { get; } = new();

    /// <summary>The spec with defaults filled in, as it goes into the canonical JSON.</summary>
    public JsonObject Normalised { get; } = new();

    public bool HasErrors => Errors.Count > 0;

    public void AddError(string field, string message)
    {
        if (Errors[field] is not JsonArray list)
        {
            list = new JsonArray();
            Errors[field] = list;
        }

        list.Add(message);
    }

    public void AddErrors(string field, JsonObject nested) => Errors[field] = nested;

    /// <summary>A schema-level (cross-field) error, kept under <c>_schema</c> like marshmallow.</summary>
    public void SchemaError(string message) => AddError("_schema", message);

    /// <summary>Flags unknown fields; true when no error was found.</summary>
    public bool Ok()
    {
        foreach (var (key, _) in _spec)
        {
            if (!_known.Contains(key))
            {
                AddError(key, Messages.Unknown);
            }
        }

        return !HasErrors;
    }

    /// <summary>Returns the raw value; present=false when the field is absent.</summary>
    public JsonNode? Raw(string field, out bool present)
    {
        _known.Add(field);
        present = _spec.TryGetPropertyValue(field, out var node);
        return node;
    }

    private bool Absent(string field, JsonNode? node, bool present, bool required, bool allowNull)
    {
        if (!present)
        {
            if (required)
            {
                AddError(field, Messages.Required);
            }

            return true;
        }

        if (node is null)
        {
            if (!allowNull)
            {
                AddError(field, Messages.NotNull);
            }

            return true;
        }

        return false;
    }

    public static bool IsHostile(string s) =>
        s.Contains('\'') || s.Contains('"') || s.Contains(';') || s.Contains("--", StringComparison.Ordinal)
        || s.Contains("/*", StringComparison.Ordinal) || s.Contains("*/", StringComparison.Ordinal) || s.Contains('\\')
        || s.Contains('\0');

    /// <summary>Reads a string; with choices it must be one of them. Written to the normalised spec.</summary>
    public string? String(string field, bool required, IReadOnlyList<string>? oneOf = null, string? defaultValue = null,
        bool allowNull = false)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull))
        {
            Normalised[field] = defaultValue;
            return defaultValue;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var s))
        {
            AddError(field, Messages.NotString);
            return null;
        }

        if (IsHostile(s))
        {
            AddError(field, Messages.Hostile);
            return null;
        }

        if (oneOf is not null && !oneOf.Contains(s, StringComparer.Ordinal))
        {
            AddError(field, Messages.OneOf(oneOf));
            return null;
        }

        Normalised[field] = s;
        return s;
    }

    public DateTime? Date(string field, bool required = true)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull: false))
        {
            return null;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var s) || !IsoDateTime.TryParse(s, out var dt))
        {
            AddError(field, Messages.NotDateTime);
            return null;
        }

        Normalised[field] = IsoDateTime.Format(dt);
        return dt;
    }

    private static bool TryNumber(JsonNode node, out double value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue<JsonElement>(out var el))
        {
            return el.ValueKind == JsonValueKind.Number && el.TryGetDouble(out value) && double.IsFinite(value);
        }

        if (v.TryGetValue<double>(out value))
        {
            return double.IsFinite(value);
        }

        if (v.TryGetValue<long>(out var l))
        {
            value = l;
            return true;
        }

        if (v.TryGetValue<int>(out var i))
        {
            value = i;
            return true;
        }

        if (v.TryGetValue<decimal>(out var m))
        {
            value = (double)m;
            return true;
        }

        return false;
    }

    public long? Integer(string field, bool required, long? min = null, long? max = null, long? defaultValue = null,
        bool allowNull = false)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull))
        {
            Normalised[field] = defaultValue;
            return defaultValue;
        }

        if (!TryNumber(node!, out var d) || d != Math.Floor(d) || Math.Abs(d) > 9e15)
        {
            AddError(field, Messages.NotInteger);
            return null;
        }

        var l = (long)d;
        if ((min is not null && l < min) || (max is not null && l > max))
        {
            AddError(field, RangeMessage(min?.ToString(CultureInfo.InvariantCulture), max?.ToString(CultureInfo.InvariantCulture), false));
            return null;
        }

        Normalised[field] = l;
        return l;
    }

    public double? Number(string field, bool required, double? min = null, double? max = null, bool exclusive = false,
        bool allowNull = false, double? defaultValue = null)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull))
        {
            Normalised[field] = defaultValue;
            return defaultValue;
        }

        if (!TryNumber(node!, out var d))
        {
            AddError(field, Messages.NotNumber);
            return null;
        }

        var tooLow = min is not null && (exclusive ? d <= min : d < min);
        var tooHigh = max is not null && (exclusive ? d >= max : d > max);
        if (tooLow || tooHigh)
        {
            AddError(field, RangeMessage(PyFloat(min), PyFloat(max), exclusive));
            return null;
        }

        Normalised[field] = d;
        return d;
    }

    public bool? Boolean(string field, bool required, bool? defaultValue = null)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull: false))
        {
            Normalised[field] = defaultValue;
            return defaultValue;
        }

        if (node is not JsonValue v || node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            AddError(field, Messages.NotBoolean);
            return null;
        }

        var b = v.GetValue<bool>();
        Normalised[field] = b;
        return b;
    }

    /// <summary>Reads a nested object field with its own reader; errors go under the field name.</summary>
    public T? Object<T>(string field, bool required, bool allowNull, Func<SpecReader, T?> read)
        where T : class
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull))
        {
            Normalised[field] = null;
            return null;
        }

        if (node is not JsonObject obj)
        {
            AddErrors(field, new JsonObject { ["_schema"] = new JsonArray(Messages.InvalidInput) });
            return null;
        }

        var child = new SpecReader(obj, QueryKind);
        child.Normalised.Remove("query_kind");
        var value = read(child);
        if (!child.Ok() || value is null)
        {
            AddErrors(field, child.Errors.Count > 0 ? child.Errors : new JsonObject { ["_schema"] = new JsonArray(Messages.InvalidInput) });
            return null;
        }

        Normalised[field] = child.Normalised;
        return value;
    }

    /// <summary>Reads a nested query of one of a group of kinds.</summary>
    public Query? Query(string field, QueryGroup group, bool required = true)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull: false))
        {
            return null;
        }

        var result = QueryCatalog.ParseIn(node, group);
        if (result.Query is null)
        {
            AddErrors(field, result.ValidationErrors!);
            return null;
        }

        Normalised[field] = result.Query.NormalisedParameters;
        return result.Query;
    }

    /// <summary>Reads a non-empty list of nested queries of one group.</summary>
    public IReadOnlyList<Query>? QueryList(string field, QueryGroup group, bool required = true)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull: false))
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            AddError(field, Messages.NotList);
            return null;
        }

        var queries = new List<Query>();
        var errors = new JsonObject();
        for (var i = 0; i < array.Count; i++)
        {
            var result = QueryCatalog.ParseIn(array[i], group);
            if (result.Query is null)
            {
                errors[i.ToString(CultureInfo.InvariantCulture)] = result.ValidationErrors;
            }
            else
            {
                queries.Add(result.Query);
            }
        }

        if (errors.Count > 0)
        {
            AddErrors(field, errors);
            return null;
        }

        if (queries.Count < 1)
        {
            AddError(field, Messages.ShorterThan(1));
            return null;
        }

        Normalised[field] = new JsonArray(queries.Select(q => (JsonNode)q.NormalisedParameters).ToArray());
        return queries;
    }

    /// <summary>Reads a list of numbers (no range check).</summary>
    public IReadOnlyList<double>? NumberList(string field, bool required)
    {
        var node = Raw(field, out var present);
        if (Absent(field, node, present, required, allowNull: false))
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            AddError(field, Messages.NotList);
            return null;
        }

        var values = new List<double>();
        var errors = new JsonObject();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is { } item && TryNumber(item, out var d))
            {
                values.Add(d);
            }
            else
            {
                errors[i.ToString(CultureInfo.InvariantCulture)] = new JsonArray(Messages.NotNumber);
            }
        }

        if (errors.Count > 0)
        {
            AddErrors(field, errors);
            return null;
        }

        Normalised[field] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        return values;
    }

    private static string? PyFloat(double? d) =>
        d is null ? null : d.Value == Math.Floor(d.Value) ? d.Value.ToString("0.0", CultureInfo.InvariantCulture) : d.Value.ToString("R", CultureInfo.InvariantCulture);

    private static string RangeMessage(string? min, string? max, bool exclusive)
    {
        var (lo, hi) = exclusive ? ("greater than", "less than") : ("greater than or equal to", "less than or equal to");
        return (min, max) switch
        {
            ({ } a, { } b) => $"Must be {lo} {a} and {hi} {b}.",
            ({ } a, null) => $"Must be {lo} {a}.",
            (null, { } b) => $"Must be {hi} {b}.",
            _ => "Invalid value.",
        };
    }
}
