// get_geography: GeoJSON features of a spatial unit's geometry (SRID 4326), with FlowKit's validation errors.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries;

public static class Geography
{
    /// <summary>One GeoJSON Feature per row (column <c>features</c>); throws for an unknown unit.</summary>
    public static string GeoJsonSql(string aggregationUnit) =>
        SpatialUnit.Parse(aggregationUnit) is { } unit
            ? Sql.GeoJsonSql.ForUnit(unit)
            : throw new ArgumentException(Messages.OneOf(SpatialUnit.Names), nameof(aggregationUnit));

    /// <summary>Null when the unit is valid, else <c>{"aggregation_unit": ["Must be one of: ..."]}</c>.</summary>
    public static JsonObject? ValidationErrors(JsonNode? aggregationUnit)
    {
        if (aggregationUnit is null)
        {
            return new JsonObject { ["aggregation_unit"] = new JsonArray(Messages.Required) };
        }

        return aggregationUnit is JsonValue v && v.TryGetValue<string>(out var s) && SpatialUnit.Parse(s) is not null
            ? null
            : new JsonObject { ["aggregation_unit"] = new JsonArray(Messages.OneOf(SpatialUnit.Names)) };
    }

    /// <summary>Validates get_geography's params ({"aggregation_unit": ...}) and builds the SQL.</summary>
    public static bool TryGeoJsonSql(JsonObject parameters, out string? sql, out JsonObject? errors)
    {
        parameters.TryGetPropertyValue("aggregation_unit", out var node);
        errors = ValidationErrors(node);
        sql = errors is null ? GeoJsonSql(node!.GetValue<string>()) : null;
        return errors is null;
    }
}
