// GeoJSON features (one per row, column "features") for results and for the spatial units themselves.
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Sql;

public static class GeoJsonSql
{
    /// <summary>Geometry of every unit of a spatial unit: admin polygons, or the distinct cell points for lon-lat.</summary>
    public static string ForUnit(SpatialUnit unit)
    {
        if (unit.AdminLevel is { } level)
        {
            var n = SqlLiteral.Integer(level);
            return $"SELECT json_build_object('type', 'Feature', 'id', g.admin{n}pcod, " +
                   $"'geometry', ST_AsGeoJSON(g.geom)::json, " +
                   $"'properties', json_build_object('pcod', g.admin{n}pcod, 'name', g.admin{n}name)) AS features " +
                   $"FROM geography.admin{n} g ORDER BY g.admin{n}pcod";
        }

        return "SELECT json_build_object('type', 'Feature', 'id', p.lon::text || ',' || p.lat::text, " +
               "'geometry', ST_AsGeoJSON(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))::json, " +
               "'properties', json_build_object('lon', p.lon, 'lat', p.lat)) AS features " +
               "FROM (SELECT DISTINCT ST_X(geom_point) AS lon, ST_Y(geom_point) AS lat FROM infrastructure.cells " +
               "WHERE geom_point IS NOT NULL) p ORDER BY p.lon, p.lat";
    }

    /// <summary>One feature per result row, joined to its unit's geometry; null if the rows carry no location.</summary>
    public static string? ForResult(SpatialUnit unit, IReadOnlyList<string> columns, string resultSql)
    {
        if (unit.AdminLevel is { } level)
        {
            var n = SqlLiteral.Integer(level);
            if (columns.Contains("pcod"))
            {
                return $"SELECT json_build_object('type', 'Feature', 'id', r.pcod, " +
                       $"'geometry', ST_AsGeoJSON(g.geom)::json, 'properties', to_jsonb(r)) AS features " +
                       $"FROM ({resultSql}) r JOIN geography.admin{n} g ON g.admin{n}pcod = r.pcod";
            }

            if (columns.Contains("pcod_from") && columns.Contains("pcod_to"))
            {
                // Flows: one feature per unit with its outflows and inflows, like FlowKit's flows GeoJSON.
                return $"WITH r AS ({resultSql}) SELECT json_build_object('type', 'Feature', 'id', g.pcod, " +
                       "'geometry', ST_AsGeoJSON(g.geom)::json, 'properties', json_build_object('pcod', g.pcod, " +
                       "'outflows', coalesce((SELECT jsonb_object_agg(o.pcod_to, o.value) FROM r o WHERE o.pcod_from = g.pcod), '{}'::jsonb), " +
                       "'inflows', coalesce((SELECT jsonb_object_agg(i.pcod_from, i.value) FROM r i WHERE i.pcod_to = g.pcod), '{}'::jsonb))) AS features " +
                       $"FROM (SELECT admin{n}pcod AS pcod, geom FROM geography.admin{n}) g " +
                       "WHERE g.pcod IN (SELECT pcod_from FROM r UNION SELECT pcod_to FROM r)";
            }

            return null;
        }

        if (columns.Contains("lon") && columns.Contains("lat"))
        {
            return "SELECT json_build_object('type', 'Feature', " +
                   "'geometry', ST_AsGeoJSON(ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))::json, " +
                   $"'properties', to_jsonb(r)) AS features FROM ({resultSql}) r";
        }

        return null;
    }
}
