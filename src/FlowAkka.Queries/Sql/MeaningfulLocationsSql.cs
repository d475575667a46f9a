// FlowKit's meaningful-locations pipeline in SQL: versioned-site locations → CallDays → HartiganCluster (iterative,
// as a recursive CTE) → EventScore joined to the cluster components → LabelEventScore → MeaningfulLocations(label).
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Sql;

/// <summary>Parameters shared by the meaningful-locations kinds.</summary>
public sealed record MeaningfulParameters(
    IReadOnlyList<LabelBounds> Labels,
    TowerScores Scores,
    double ClusterRadiusKm,
    long CallThreshold);

public static class MeaningfulLocationsSql
{
    /// <summary>
    /// CTEs (for a WITH RECURSIVE list) ending in <c>{prefix}_labelled(label, subscriber, cluster, rank, calldays,
    /// score_hour, score_dow)</c>: every Hartigan cluster of every subscriber with its label.
    /// </summary>
    public static IEnumerable<string> LabelledClusters(string prefix, EventWindow window, MeaningfulParameters p, ISqlSource source)
    {
        var hourScores = "ARRAY[" + string.Join(", ", p.Scores.HourOfDay.Select(SqlLiteral.Number)) + "]";
        var dayScores = "ARRAY[" + string.Join(", ", p.Scores.DayOfWeek.Select(SqlLiteral.Number)) + "]";
        var radiusMetres = SqlLiteral.Number(p.ClusterRadiusKm * 1000.0);
        const string validCell = "e.datetime::date BETWEEN coalesce(c.date_of_first_service, '-infinity'::date) " +
                                 "AND coalesce(c.date_of_last_service, 'infinity'::date)";
        const string validSite = "e.datetime::date BETWEEN coalesce(s.date_of_first_service, '-infinity'::date) " +
                                 "AND coalesce(s.date_of_last_service, 'infinity'::date)";

        // SubscriberLocations at the versioned-site unit: the site (id, version) of the cell in service that day.
        yield return $"{prefix}_located AS (SELECT e.subscriber, e.datetime, s.id AS site_id, s.version, " +
                     "ST_X(s.geom_point) AS lon, ST_Y(s.geom_point) AS lat " +
                     $"FROM ({EventsSql.Union(window, source)}) e " +
                     $"JOIN infrastructure.cells c ON c.id = e.location_id AND {validCell} " +
                     $"JOIN infrastructure.sites s ON s.id = c.site_id AND {validSite} WHERE s.geom_point IS NOT NULL)";

        // CallDays, ranked per subscriber by call days (ties: site id, version, so the clustering is deterministic).
        yield return $"{prefix}_calldays AS (SELECT subscriber, site_id, version, lon, lat, " +
                     "count(DISTINCT datetime::date)::integer AS calldays, row_number() OVER (PARTITION BY subscriber " +
                     "ORDER BY count(DISTINCT datetime::date) DESC, site_id, version) AS n " +
                     $"FROM {prefix}_located GROUP BY subscriber, site_id, version, lon, lat)";

        // Hartigan: each site in turn joins the first cluster whose centroid is within the radius (the centroid
        // moves to the call-day weighted mean), or starts a new cluster.
        var hit = "m.hit";
        string Replace(string array, string value) =>
            $"CASE WHEN {hit} IS NULL THEN h.{array} || {value}_new ELSE h.{array}[:{hit} - 1] || {value}_merged || h.{array}[{hit} + 1:] END";
        yield return $"{prefix}_hartigan(subscriber, n, lons, lats, weights, sites, versions) AS (" +
                     $"SELECT subscriber, n, ARRAY[lon], ARRAY[lat], ARRAY[calldays], ARRAY[site_id], ARRAY[version::text] " +
                     $"FROM {prefix}_calldays WHERE n = 1 " +
                     "UNION ALL " +
                     "SELECT h.subscriber, o.n, " +
                     Replace("lons", "x") + ", " + Replace("lats", "y") + ", " + Replace("weights", "w") + ", " +
                     Replace("sites", "s") + ", " + Replace("versions", "v") + " " +
                     $"FROM {prefix}_hartigan h JOIN {prefix}_calldays o ON o.subscriber = h.subscriber AND o.n = h.n + 1 " +
                     "CROSS JOIN LATERAL (SELECT (SELECT i FROM generate_subscripts(h.lons, 1) i " +
                     "WHERE ST_Distance(ST_SetSRID(ST_MakePoint(h.lons[i], h.lats[i]), 4326)::geography, " +
                     $"ST_SetSRID(ST_MakePoint(o.lon, o.lat), 4326)::geography) < {radiusMetres} ORDER BY i LIMIT 1) AS hit) m " +
                     "CROSS JOIN LATERAL (SELECT o.lon AS x_new, o.lat AS y_new, o.calldays AS w_new, o.site_id AS s_new, " +
                     "o.version::text AS v_new, " +
                     "(h.lons[m.hit] * h.weights[m.hit] + o.lon * o.calldays) / (h.weights[m.hit] + o.calldays) AS x_merged, " +
                     "(h.lats[m.hit] * h.weights[m.hit] + o.lat * o.calldays) / (h.weights[m.hit] + o.calldays) AS y_merged, " +
                     "h.weights[m.hit] + o.calldays AS w_merged, h.sites[m.hit] || '::' || o.site_id AS s_merged, " +
                     "h.versions[m.hit] || '::' || o.version::text AS v_merged) nv)";

        // The final state per subscriber; clusters below the call-day threshold are dropped (rank kept).
        yield return $"{prefix}_clusters AS (SELECT f.subscriber, u.rank::integer AS rank, u.w AS calldays, " +
                     "ST_SetSRID(ST_MakePoint(u.x, u.y), 4326)::geography AS cluster, " +
                     "string_to_array(u.s, '::') AS site_ids, string_to_array(u.v, '::')::integer[] AS versions " +
                     $"FROM (SELECT DISTINCT ON (subscriber) * FROM {prefix}_hartigan ORDER BY subscriber, n DESC) f " +
                     "CROSS JOIN LATERAL unnest(f.lons, f.lats, f.weights, f.sites, f.versions) WITH ORDINALITY AS u(x, y, w, s, v, rank) " +
                     $"WHERE u.w >= {SqlLiteral.Integer(p.CallThreshold)})";

        // EventScore per subscriber and versioned site (hours 0..23 from midnight; days Monday first).
        yield return $"{prefix}_scores AS (SELECT subscriber, site_id, version, " +
                     "sum(hs)::float8 / count(*) AS score_hour, sum(ds)::float8 / count(*) AS score_dow FROM (" +
                     $"SELECT subscriber, site_id, version, ({hourScores})[EXTRACT(hour FROM datetime)::integer + 1] AS hs, " +
                     $"({dayScores})[EXTRACT(isodow FROM datetime)::integer] AS ds FROM {prefix}_located) x " +
                     "GROUP BY subscriber, site_id, version)";

        // join_to_cluster_components: the mean over a cluster's sites (a site without events counts as a row).
        yield return $"{prefix}_joined AS (SELECT c.subscriber, (array_agg(c.cluster))[1] AS cluster, c.rank, c.calldays, " +
                     "sum(s.score_hour)::float8 / count(*) AS score_hour, sum(s.score_dow)::float8 / count(*) AS score_dow " +
                     $"FROM (SELECT cl.subscriber, cl.cluster, cl.rank, cl.calldays, unnest(cl.site_ids) AS site_id, " +
                     $"unnest(cl.versions) AS version FROM {prefix}_clusters cl) c " +
                     $"LEFT JOIN {prefix}_scores s ON s.site_id = c.site_id AND s.version = c.version AND s.subscriber = c.subscriber " +
                     "GROUP BY c.subscriber, c.rank, c.calldays)";

        var bounds = string.Join(", ", p.Labels.Select(l =>
            $"({SqlLiteral.Text(l.Label)}::text, ST_GeomFromText({SqlLiteral.Text(l.Wkt)}))"));
        yield return $"{prefix}_labelled AS (SELECT coalesce(b.label, 'unknown') AS label, j.* FROM {prefix}_joined j " +
                     $"LEFT JOIN (VALUES {bounds}) AS b(label, geom) ON ST_Contains(b.geom, ST_Point(j.score_hour, j.score_dow)))";
    }

    /// <summary>MeaningfulLocations(label): (subscriber, label, cluster, n_clusters) from a labelled CTE.</summary>
    public static string Meaningful(string labelledCte, string label) =>
        $"SELECT subscriber, label, (array_agg(cluster))[1] AS cluster, count(*) OVER (PARTITION BY subscriber) AS n_clusters " +
        $"FROM {labelledCte} WHERE label = {SqlLiteral.Text(label)} GROUP BY subscriber, label, rank";

    /// <summary>The unit's polygons: (pcod, geom).</summary>
    public static string Polygons(SpatialUnit unit)
    {
        var n = SqlLiteral.Integer(unit.AdminLevel ?? throw new ArgumentException("Meaningful locations need an admin unit.", nameof(unit)));
        return $"SELECT admin{n}pcod AS pcod, geom FROM geography.admin{n}";
    }
}
