// geography: the geometries of a spatial unit (used through get_geography).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class GeographyQuery : Query
{
    public static readonly KindDefinition Definition = new("geography", "Geography", Parse, Schema);

    private GeographyQuery(JsonObject normalised, SpatialUnit unit)
        : base(normalised)
    {
        Unit = unit;
    }

    public SpatialUnit Unit { get; }

    public override string QueryKind => "geography";

    public override string? AggregationUnit => Unit.Name;

    public override string CacheClassName => "GeographyQuery";

    public override IReadOnlyList<string> Columns => Unit.IsLonLat ? ["lon", "lat", "geom"] : ["pcod", "name", "geom"];

    public override string BuildSql(ISqlSource source)
    {
        if (Unit.AdminLevel is { } level)
        {
            var n = SqlLiteral.Integer(level);
            return $"SELECT admin{n}pcod AS pcod, admin{n}name AS name, geom FROM geography.admin{n}";
        }

        return "SELECT p.lon, p.lat, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS geom FROM " +
               "(SELECT DISTINCT ST_X(geom_point) AS lon, ST_Y(geom_point) AS lat FROM infrastructure.cells " +
               "WHERE geom_point IS NOT NULL) p";
    }

    public override string? BuildGeoJsonSql(string resultTableSql) => GeoJsonSql.ForUnit(Unit);

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        return r.Ok() ? new GeographyQuery(r.Normalised, unit!) : null;
    }

    private static JsonObject Schema() => Kind("geography", AggregationUnit(), "aggregation_unit");
}
