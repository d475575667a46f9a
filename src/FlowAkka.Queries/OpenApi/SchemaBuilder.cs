// Small builders for the OpenAPI 3.0 property schemas, shaped like apispec's output from marshmallow.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.OpenApi;

public static class SchemaBuilder
{
    public static string RefTo(string schemaName) => $"#/components/schemas/{schemaName}";

    public static JsonObject Ref(string schemaName) => new() { ["$ref"] = RefTo(schemaName) };

    private static JsonArray Sorted(IEnumerable<string> values) =>
        new(values.OrderBy(v => v, StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    public static JsonObject Enum(IEnumerable<string> values, string? defaultValue = null, bool readOnly = false)
    {
        var o = new JsonObject();
        if (defaultValue is not null)
        {
            o["default"] = defaultValue;
        }

        o["enum"] = Sorted(values);
        if (readOnly)
        {
            o["readOnly"] = true;
        }

        o["type"] = "string";
        return o;
    }

    public static JsonObject QueryKind(string kind) => Enum([kind]);

    public static JsonObject DateTime() => new() { ["format"] = "date-time", ["type"] = "string" };

    public static JsonObject NullableString() => new() { ["nullable"] = true, ["type"] = "string" };

    public static JsonObject String() => new() { ["type"] = "string" };

    public static JsonObject Integer(long? defaultValue = null, long? min = null, long? max = null, bool nullable = false)
    {
        var o = new JsonObject();
        if (defaultValue is not null)
        {
            o["default"] = defaultValue;
        }

        if (max is not null)
        {
            o["maximum"] = max;
        }

        if (min is not null)
        {
            o["minimum"] = min;
        }

        if (nullable)
        {
            o["nullable"] = true;
        }

        o["type"] = "integer";
        return o;
    }

    public static JsonObject Number(double? min = null, double? max = null, bool nullable = false)
    {
        var o = new JsonObject();
        if (max is not null)
        {
            o["maximum"] = max;
        }

        if (min is not null)
        {
            o["minimum"] = min;
        }

        if (nullable)
        {
            o["nullable"] = true;
        }

        o["type"] = "number";
        return o;
    }

    public static JsonObject EventTypes() => new()
    {
        ["default"] = null,
        ["items"] = Enum(Fields.EventWindow.AllEventTypes),
        ["minItems"] = 1,
        ["nullable"] = true,
        ["type"] = "array",
    };

    public static JsonObject NullableRef(string schemaName, bool withNullDefault)
    {
        var o = new JsonObject { ["allOf"] = new JsonArray(Ref(schemaName)) };
        if (withNullDefault)
        {
            o["default"] = null;
        }

        o["nullable"] = true;
        return o;
    }

    public static JsonObject Hours() => NullableRef("Hours", withNullDefault: true);

    public static JsonObject Sampling() => NullableRef("RandomSample", withNullDefault: false);

    public static JsonObject ArrayOf(string schemaName, int minItems) => new()
    {
        ["items"] = Ref(schemaName),
        ["minItems"] = minItems,
        ["type"] = "array",
    };

    /// <summary>aggregation_unit with FlowKit's three optional custom-table strings.</summary>
    public static IEnumerable<(string, JsonNode)> AggregationUnit() =>
    [
        ("aggregation_unit", Enum(SpatialUnit.Names)),
        ("geom_table", NullableString()),
        ("geom_table_join_column", NullableString()),
        ("mapping_table", NullableString()),
    ];

    /// <summary>The read-only aggregation_unit of kinds whose unit comes from a nested query.</summary>
    public static (string, JsonNode) DerivedAggregationUnit() => ("aggregation_unit", Enum(SpatialUnit.Names, readOnly: true));

    /// <summary>start_date, end_date, event_types, hours, subscriber_subset.</summary>
    public static IEnumerable<(string, JsonNode)> EventWindow(bool withHours = true, bool withEventTypes = true)
    {
        yield return ("start_date", DateTime());
        yield return ("end_date", DateTime());
        if (withEventTypes)
        {
            yield return ("event_types", EventTypes());
        }

        if (withHours)
        {
            yield return ("hours", Hours());
        }

        yield return ("subscriber_subset", NullableString());
    }

    public static JsonObject Object(IEnumerable<(string Name, JsonNode Schema)> properties, IEnumerable<string> required)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            props[name] = schema;
        }

        var o = new JsonObject { ["properties"] = props };
        var req = required.Distinct().ToList();
        if (req.Count > 0)
        {
            o["required"] = Sorted(req);
        }

        o["type"] = "object";
        return o;
    }

    /// <summary>A kind's schema: query_kind is always a required property.</summary>
    public static JsonObject Kind(string kind, IEnumerable<(string, JsonNode)> properties, params string[] required) =>
        Object(properties.Append(("query_kind", QueryKind(kind))), required.Append("query_kind"));

    public static JsonObject OneOf(string propertyName, IEnumerable<(string Key, string SchemaName)> members)
    {
        var list = members.OrderBy(m => m.SchemaName, StringComparer.Ordinal).ToList();
        var mapping = new JsonObject();
        foreach (var (key, name) in list.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            mapping[key] = RefTo(name);
        }

        return new JsonObject
        {
            ["discriminator"] = new JsonObject { ["mapping"] = mapping, ["propertyName"] = propertyName },
            ["oneOf"] = new JsonArray(list.Select(m => (JsonNode)Ref(m.SchemaName)).ToArray()),
        };
    }
}
