// Oracle specs of the meaningful-locations kinds: the oracle clusters with its own plpgsql loop (FlowKit's
// Hartigan, written independently of the library's recursive CTE) and scores / labels / weights by hand.
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public sealed class MeaningfulLocationsOracleSpecs(FlowDbFixture db) : OracleSpecBase(db), IAsyncLifetime
{
    private const string OracleFunctions = """
        CREATE OR REPLACE FUNCTION oracle.clusters(t0 timestamptz, t1 timestamptz, radius_km float8, min_days int)
        RETURNS TABLE(subscriber text, rank int, lon float8, lat float8, sites text[]) AS $$
        DECLARE r record; cur text; xs float8[]; ys float8[]; ws int[]; ss text[]; i int; hit int;
        BEGIN
          FOR r IN SELECT l.msisdn AS sub, s.id AS sid, ST_X(s.geom_point) AS x, ST_Y(s.geom_point) AS y,
                          count(DISTINCT l.datetime::date)::int AS d
                   FROM oracle.located l JOIN infrastructure.cells c ON c.id = l.location_id
                   JOIN infrastructure.sites s ON s.id = c.site_id
                   WHERE l.datetime >= t0 AND l.datetime < t1 GROUP BY 1, 2, 3, 4
                   UNION ALL SELECT NULL, NULL, NULL, NULL, NULL ORDER BY 1 NULLS LAST, 5 DESC, 2 LOOP
            IF cur IS NOT NULL AND r.sub IS DISTINCT FROM cur THEN
              FOR i IN 1..coalesce(array_length(xs, 1), 0) LOOP
                IF ws[i] >= min_days THEN
                  subscriber := cur; rank := i; lon := xs[i]; lat := ys[i]; sites := string_to_array(ss[i], ',');
                  RETURN NEXT;
                END IF;
              END LOOP;
              xs := NULL; ys := NULL; ws := NULL; ss := NULL;
            END IF;
            EXIT WHEN r.sub IS NULL;
            cur := r.sub; hit := NULL;
            FOR i IN 1..coalesce(array_length(xs, 1), 0) LOOP
              IF ST_Distance(ST_MakePoint(xs[i], ys[i])::geography, ST_MakePoint(r.x, r.y)::geography) < radius_km * 1000 THEN
                hit := i; EXIT;
              END IF;
            END LOOP;
            IF hit IS NULL THEN
              xs := xs || r.x; ys := ys || r.y; ws := ws || r.d; ss := ss || r.sid;
            ELSE
              xs[hit] := (xs[hit] * ws[hit] + r.x * r.d) / (ws[hit] + r.d);
              ys[hit] := (ys[hit] * ws[hit] + r.y * r.d) / (ws[hit] + r.d);
              ws[hit] := ws[hit] + r.d; ss[hit] := ss[hit] || ',' || r.sid;
            END IF;
          END LOOP;
        END $$ LANGUAGE plpgsql;
        CREATE TABLE IF NOT EXISTS oracle.hour_score(h int, score float8);
        TRUNCATE oracle.hour_score;
        INSERT INTO oracle.hour_score SELECT h - 1, (ARRAY[-1,-1,-1,-1,-1,-1,-1,0,0,1,1,1,1,1,1,1,1,0,0,0,0,-1,-1,-1])[h] FROM generate_series(1, 24) h;
        CREATE TABLE IF NOT EXISTS oracle.day_score(d text, score float8);
        TRUNCATE oracle.day_score;
        INSERT INTO oracle.day_score VALUES ('monday',1),('tuesday',1),('wednesday',1),('thursday',0),('friday',-1),('saturday',-1),('sunday',-1);
        """;

    public async Task InitializeAsync() => await Db.RunAsync(OracleFunctions);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Oracle: (subscriber, label, lon, lat, n) — each cluster's label and the subscriber's count of that label.</summary>
    private static string Labelled(string t0, string t1, double radius, int minDays) => $"""
        WITH cl AS (SELECT * FROM oracle.clusters('{t0}', '{t1}', {radius.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {minDays})),
        site_scores AS (
          SELECT l.msisdn, s.id AS sid, avg(hs.score) AS sh, avg(ds.score) AS sd
          FROM oracle.located l JOIN infrastructure.cells c ON c.id = l.location_id JOIN infrastructure.sites s ON s.id = c.site_id
          JOIN oracle.hour_score hs ON hs.h = EXTRACT(hour FROM l.datetime)
          JOIN oracle.day_score ds ON ds.d = trim(to_char(l.datetime, 'day'))
          WHERE l.datetime >= '{t0}' AND l.datetime < '{t1}' GROUP BY 1, 2),
        scored AS (
          SELECT cl.subscriber, cl.rank, cl.lon, cl.lat, avg(ss.sh) AS sh, avg(ss.sd) AS sd
          FROM cl CROSS JOIN LATERAL unnest(cl.sites) AS site(sid) JOIN site_scores ss ON ss.msisdn = cl.subscriber AND ss.sid = site.sid
          GROUP BY 1, 2, 3, 4),
        labelled AS (
          SELECT subscriber, lon, lat,
                 CASE WHEN sh > 0.000001 THEN 'evening' WHEN sh < -0.000001 THEN 'day' ELSE 'unknown' END AS label FROM scored)
        SELECT subscriber, label, lon, lat, count(*) OVER (PARTITION BY subscriber, label) AS n FROM labelled
        """;

    [Theory]
    [InlineData(1.0, 0, "")]
    [InlineData(150.0, 2, ""","tower_cluster_radius":150,"tower_cluster_call_threshold":2""")]
    public async Task Aggregate_weights_each_cluster_by_one_over_the_subscribers_clusters_of_the_label(double radius, int minDays, string extra)
    {
        await AssertMatchesOracle(SampleSpecs.MeaningfulAggregate("admin1", "day", extra), $"""
            SELECT 'day' AS label, g.admin1pcod AS pcod, sum(1.0 / m.n) AS total
            FROM ({Labelled("2016-01-01", "2016-01-04", radius, minDays)}) m
            LEFT JOIN geography.admin1 g ON ST_Contains(g.geom, ST_SetSRID(ST_MakePoint(m.lon, m.lat), 4326))
            WHERE m.label = 'day' GROUP BY g.admin1pcod HAVING sum(1.0 / m.n) > 15
            """);
    }

    [Fact]
    public async Task Between_label_od_matrix_pairs_the_two_labels_clusters_of_each_subscriber()
    {
        await AssertMatchesOracle(SampleSpecs.MeaningfulLabelOd("admin0"), $"""
            WITH m AS ({Labelled("2016-01-01", "2016-01-04", 1.0, 0)})
            SELECT 'day' AS label_from, 'evening' AS label_to, ga.admin0pcod AS pcod_from, gb.admin0pcod AS pcod_to,
                   sum(1.0 / (a.n * b.n)) AS total
            FROM m a JOIN m b ON a.subscriber = b.subscriber AND a.label = 'day' AND b.label = 'evening'
            LEFT JOIN geography.admin0 ga ON ST_Contains(ga.geom, ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326))
            LEFT JOIN geography.admin0 gb ON ST_Contains(gb.geom, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326))
            GROUP BY 3, 4 HAVING sum(1.0 / (a.n * b.n)) > 15
            """);
    }

    [Fact]
    public async Task Between_dates_od_matrix_pairs_one_label_across_two_periods_unredacted()
    {
        await AssertMatchesOracle(SampleSpecs.MeaningfulDatesOd("admin1"), $"""
            SELECT 'evening' AS label_from, 'evening' AS label_to, ga.admin1pcod AS pcod_from, gb.admin1pcod AS pcod_to,
                   sum(1.0 / (a.n * b.n)) AS total
            FROM ({Labelled("2016-01-01", "2016-01-02", 1.0, 0)}) a
            JOIN ({Labelled("2016-01-02", "2016-01-04", 1.0, 0)}) b ON a.subscriber = b.subscriber AND a.label = 'evening' AND b.label = 'evening'
            LEFT JOIN geography.admin1 ga ON ST_Contains(ga.geom, ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326))
            LEFT JOIN geography.admin1 gb ON ST_Contains(gb.geom, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326))
            GROUP BY 3, 4
            """);
    }

    [Theory]
    [InlineData(""","tower_hour_of_day_scores":[1,2]""", "tower_hour_of_day_scores", """{"1":["Must be greater than or equal to -1.0 and less than or equal to 1.0."]}""")]
    [InlineData(""","tower_hour_of_day_scores":[1,1]""", "tower_hour_of_day_scores", """["Length must be 24."]""")]
    [InlineData(""","tower_day_of_week_scores":{"monday":1}""", "tower_day_of_week_scores", """["Day of week score dictionary must have values for all days. Only got {'monday'}"]""")]
    [InlineData(""","tower_day_of_week_scores":{"funday":1}""", "tower_day_of_week_scores", """{"funday":{"key":["Must be one of: monday, tuesday, wednesday, thursday, friday, saturday, sunday."]}}""")]
    [InlineData(""","aggregation_unit":"lon-lat" """, "aggregation_unit", """["Meaningful locations are aggregated to polygons: use admin0, admin1, admin2 or admin3."]""")]
    [InlineData(""","labels":{"a":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1]]]},"b":{"type":"Polygon","coordinates":[[[0.5,0.5],[0.5,2],[2,2]]]}}""", "_schema", """["Labels overlap. Label 'a' bounds overlaps with that of 'b'."]""")]
    [InlineData(""","labels":{"unknown":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1]]]}}""", "_schema", """["'unknown' is a reserved label name, please use another name"]""")]
    [InlineData(""","labels":{"a":{"type":"Point","coordinates":[0,0]}}""", "_schema", """["Geometry for a is not valid: Unknown geometry type: Point"]""")]
    [InlineData(""","labels":{"x'":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1]]]}}""", "labels", """{"x'":{"key":["Must not contain quotes, semicolons or SQL comment markers."]}}""")]
    [InlineData(""","tower_cluster_radius":"far" """, "tower_cluster_radius", """["Not a valid number."]""")]
    public void Invalid_fields_give_FlowKits_errors(string patch, string field, string expected)
    {
        var spec = SampleSpecs.MeaningfulAggregate();
        foreach (var (k, v) in SampleSpecs.Parse("{" + patch.TrimStart(',') + "}"))
        {
            spec[k] = v?.DeepClone();
        }

        var result = QueryCatalog.Parse(spec);
        Assert.Null(result.Query);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(expected)!.ToJsonString(), result.ValidationErrors![field]!.ToJsonString());
    }

    [Fact]
    public void Required_fields_are_reported_and_defaults_filled_in()
    {
        var result = QueryCatalog.Parse(SampleSpecs.Parse("""{"query_kind":"meaningful_locations_between_dates_od_matrix"}"""));
        Assert.Equal(["_schema", "aggregation_unit", "end_date_a", "end_date_b", "label", "labels", "start_date_a", "start_date_b",
            "tower_day_of_week_scores", "tower_hour_of_day_scores"],
            result.ValidationErrors!.Select(e => e.Key).Where(k => k != "_schema").Prepend("_schema").Distinct().OrderBy(k => k, StringComparer.Ordinal));
        var p = QueryCatalog.Parse(SampleSpecs.MeaningfulAggregate()).Query!.NormalisedParameters;
        Assert.Equal(1.0, p["tower_cluster_radius"]!.GetValue<double>());
        Assert.Equal(0L, p["tower_cluster_call_threshold"]!.GetValue<long>());
        Assert.Null(p["subscriber_subset"]);
    }
}
