using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public class AggregateKindsOracleSpecs(FlowDbFixture db) : OracleSpecBase(db)
{
    private static string Daily1(string day = "2016-01-01", string next = "2016-01-02") => OracleDailyLast(day, next, "a1");

    [Fact]
    public async Task Spatial_aggregate_counts_subscribers_and_redacts_small_counts()
    {
        var rows = await AssertMatchesOracle(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation(unit: "admin1")),
            $"SELECT pcod, count(*) FROM ({Daily1()}) d GROUP BY pcod HAVING count(*) > 15");
        Assert.All(rows, r => Assert.True(long.Parse(r.Split(" | ")[1]) > 15));

        // At admin3 the counts are small: some rows must be dropped, none of 15 or fewer kept.
        var fine = Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation(unit: "admin3")));
        var kept = await Db.RunAsync(fine.BuildSql(InlineSqlSource.Instance));
        var all = await Db.RunAsync($"SELECT pcod, count(*) FROM ({OracleDailyLast("2016-01-01", "2016-01-02", "a3")}) d GROUP BY pcod");
        Assert.True(kept.Rows.Count < all.Rows.Count);
        Assert.Equal(all.Rows.Where(r => long.Parse(r.Split(" | ")[1]) > 15), kept.Rows);
    }

    [Fact]
    public async Task Modal_location_at_lon_lat()
    {
        await AssertMatchesOracle(Parse(SampleSpecs.ModalLocation("lon-lat"), QueryCatalog.ReferenceLocation), """
            WITH d AS (SELECT msisdn, lon, lat, datetime::date AS day, datetime FROM oracle.located
                       WHERE datetime >= '2016-01-01'::timestamptz AND datetime < '2016-01-04'::timestamptz AND geom_point IS NOT NULL),
            lastpd AS (SELECT msisdn, lon, lat FROM (SELECT d.*, row_number() OVER (PARTITION BY msisdn, day ORDER BY datetime DESC, lon, lat) AS rn FROM d) x WHERE rn = 1),
            cnt AS (SELECT msisdn, lon, lat, count(*) AS n FROM lastpd GROUP BY msisdn, lon, lat)
            SELECT msisdn, lon, lat FROM (SELECT cnt.*, row_number() OVER (PARTITION BY msisdn ORDER BY n DESC, lon, lat) AS rn FROM cnt) y WHERE rn = 1
            """);
    }

    private sealed class CacheTables(IReadOnlySet<string> stored) : ISqlSource
    {
        public string SqlFor(Query dependency) =>
            stored.Contains(dependency.QueryId) ? $"SELECT * FROM cache.x{dependency.QueryId}" : dependency.BuildSql(this);
    }

    [Fact]
    public async Task Reading_dependencies_from_cache_tables_gives_the_inline_result()
    {
        var q = Parse(SampleSpecs.SpatialAggregate(SampleSpecs.ModalLocation("admin1")));
        var modal = q.Dependencies[0];
        var stored = new HashSet<string>();
        await using (var conn = await Db.Db.OpenConnectionAsync())
        {
            // Store the tree bottom-up, as the server does: daily locations first, then the modal location from them.
            foreach (var dependency in modal.Dependencies.Append(modal))
            {
                var source = new CacheTables(stored);
                await using var cmd = new Npgsql.NpgsqlCommand(
                    $"CREATE TABLE IF NOT EXISTS cache.x{dependency.QueryId} AS SELECT {string.Join(", ", dependency.Columns)} " +
                    $"FROM ({dependency.BuildSql(source)}) _", conn);
                await cmd.ExecuteNonQueryAsync();
                stored.Add(dependency.QueryId);
            }
        }

        var fromCache = q.BuildSql(new CacheTables(stored));
        Assert.Contains($"cache.x{modal.QueryId}", fromCache);
        Assert.DoesNotContain("events.", fromCache);
        var cached = await Db.RunAsync(fromCache);
        Assert.NotEmpty(cached.Rows);
        Assert.Equal((await Db.RunAsync(q.BuildSql(InlineSqlSource.Instance))).Rows, cached.Rows);
    }

    [Fact]
    public async Task Flows_inflows_and_outflows()
    {
        var pairs = $"SELECT a.pcod AS f, b.pcod AS t FROM ({Daily1()}) a JOIN ({Daily1("2016-01-02", "2016-01-03")}) b ON a.subscriber = b.subscriber";
        await AssertMatchesOracle(SampleSpecs.Flows("flows", "admin1"),
            $"SELECT f, t, count(*) FROM ({pairs}) p GROUP BY f, t HAVING count(*) > 15");
        await AssertMatchesOracle(SampleSpecs.Flows("inflows", "admin1"),
            $"SELECT t, count(*) FROM ({pairs}) p GROUP BY t HAVING count(*) > 15");
        await AssertMatchesOracle(SampleSpecs.Flows("outflows", "admin1"),
            $"SELECT f, count(*) FROM ({pairs}) p GROUP BY f HAVING count(*) > 15");
    }

    [Fact]
    public async Task Flows_with_a_full_outer_join_keep_one_sided_subscribers()
    {
        var spec = SampleSpecs.Flows("flows", "admin1");
        spec["join_type"] = "full outer";
        var pairs = $"SELECT a.pcod AS f, b.pcod AS t FROM ({Daily1()}) a FULL OUTER JOIN ({Daily1("2016-01-02", "2016-01-03")}) b ON a.subscriber = b.subscriber";
        await AssertMatchesOracle(spec, $"SELECT f, t, count(*) FROM ({pairs}) p GROUP BY f, t HAVING count(*) > 15");
    }

    [Fact]
    public async Task Location_event_counts_by_hour_and_direction()
    {
        var spec = SampleSpecs.Windowed("location_event_counts", "admin1");
        spec["interval"] = "hour";
        spec["direction"] = "out";
        await AssertMatchesOracle(spec, $"""
            SELECT a1, datetime::date, extract(hour FROM datetime)::int, count(*) FROM oracle.located
            WHERE {Window()} AND outgoing AND a1 IS NOT NULL
            GROUP BY a1, datetime::date, extract(hour FROM datetime)::int HAVING count(*) > 15
            """);
        spec["interval"] = "day";
        spec["direction"] = "both";
        await AssertMatchesOracle(spec, $"""
            SELECT a1, datetime::date, count(*) FROM oracle.located WHERE {Window()} AND a1 IS NOT NULL
            GROUP BY a1, datetime::date HAVING count(*) > 15
            """);
    }

    [Fact]
    public async Task Unique_subscriber_counts()
    {
        await AssertMatchesOracle(SampleSpecs.Windowed("unique_subscriber_counts", "admin1"), $"""
            SELECT a1, count(DISTINCT msisdn) FROM oracle.located WHERE {Window()} AND a1 IS NOT NULL
            GROUP BY a1 HAVING count(DISTINCT msisdn) > 15
            """);
    }

    [Fact]
    public async Task Location_introversion()
    {
        await AssertMatchesOracle(SampleSpecs.Windowed("location_introversion", "admin1"), $"""
            SELECT a.a1, avg(CASE WHEN a.a1 = b.a1 THEN 1 ELSE 0 END) FROM oracle.located a
            JOIN oracle.located b ON a.t = b.t AND a.id = b.id AND a.outgoing <> b.outgoing
            WHERE {Window(alias: "a.")} AND {Window(alias: "b.")} AND a.a1 IS NOT NULL AND b.a1 IS NOT NULL GROUP BY a.a1
            """);
    }

    [Fact]
    public async Task Total_and_aggregate_network_objects()
    {
        var tno = SampleSpecs.Windowed("total_network_objects", "admin1");
        tno["total_by"] = "hour";
        var oracleTotals = $"""
            SELECT a1, count(DISTINCT location_id) AS n, date_trunc('hour', datetime) AS dt FROM oracle.located
            WHERE {Window()} AND a1 IS NOT NULL GROUP BY a1, date_trunc('hour', datetime)
            """;
        await AssertMatchesOracle(tno, oracleTotals);
        var ano = new JsonObject
        {
            ["query_kind"] = "aggregate_network_objects", ["total_network_objects"] = tno.DeepClone(),
            ["statistic"] = "median", ["aggregate_by"] = "day",
        };
        await AssertMatchesOracle(ano,
            $"SELECT a1, percentile_cont(0.5) WITHIN GROUP (ORDER BY n), date_trunc('day', dt) FROM ({oracleTotals}) t GROUP BY a1, date_trunc('day', dt)");
    }

    private static readonly string Unique1 =
        "SELECT DISTINCT msisdn AS subscriber, a1 AS pcod FROM oracle.located WHERE " +
        "datetime >= '2016-01-02'::timestamptz AND datetime < '2016-01-04'::timestamptz AND a1 IS NOT NULL";

    private static JsonObject Active() => new()
    {
        ["query_kind"] = "active_at_reference_location_counts",
        ["unique_locations"] = SampleSpecs.Windowed("unique_locations", "admin1", "2016-01-02", "2016-01-04"),
        ["reference_locations"] = SampleSpecs.DailyLocation(unit: "admin1"),
    };

    private static readonly string OracleActive =
        $"SELECT r.pcod, count(*) AS value FROM ({OracleDailyLast("2016-01-01", "2016-01-02", "a1")}) r " +
        $"JOIN ({Unique1}) u ON u.subscriber = r.subscriber AND u.pcod = r.pcod GROUP BY r.pcod HAVING count(*) > 15";

    [Fact]
    public async Task Active_at_reference_location_counts() => await AssertMatchesOracle(Active(), OracleActive);

    [Fact]
    public async Task Unique_visitor_counts()
    {
        var spec = new JsonObject
        {
            ["query_kind"] = "unique_visitor_counts",
            ["active_at_reference_location_counts"] = Active(),
            ["unique_subscriber_counts"] = SampleSpecs.Windowed("unique_subscriber_counts", "admin1", "2016-01-02", "2016-01-04"),
        };
        await AssertMatchesOracle(spec, $"""
            WITH u AS (SELECT a1 AS pcod, count(DISTINCT msisdn) AS value FROM oracle.located
                       WHERE datetime >= '2016-01-02'::timestamptz AND datetime < '2016-01-04'::timestamptz AND a1 IS NOT NULL
                       GROUP BY a1 HAVING count(DISTINCT msisdn) > 15),
            a AS ({OracleActive})
            SELECT u.pcod, u.value - coalesce(a.value, 0) FROM u LEFT JOIN a ON a.pcod = u.pcod
            WHERE u.value - coalesce(a.value, 0) > 15
            """);
    }

    [Fact]
    public async Task Unmoving_counts_and_unmoving_at_reference_location_counts()
    {
        // Three night hours at admin1: enough subscribers stay in a single unit to pass redaction.
        const string night = "extract(hour FROM datetime) >= 0 AND extract(hour FROM datetime) < 3";
        var uniqueOracle = "SELECT DISTINCT msisdn AS subscriber, a1 AS pcod FROM oracle.located WHERE " +
                           $"{Window("2016-01-03", "2016-01-04")} AND {night} AND a1 IS NOT NULL";
        var single = $"SELECT subscriber, min(pcod) AS pcod FROM ({uniqueOracle}) u GROUP BY subscriber HAVING count(*) = 1";
        var unique = SampleSpecs.Windowed("unique_locations", "admin1", "2016-01-03", "2016-01-04");
        unique["hours"] = SampleSpecs.Parse("""{"start_hour":0,"end_hour":3}""");
        var reference = SampleSpecs.DailyLocation("2016-01-03", unit: "admin1");
        reference["hours"] = unique["hours"]!.DeepClone();
        var oracleReference = "SELECT msisdn AS subscriber, a1 AS pcod FROM (SELECT msisdn, a1, row_number() OVER " +
                              "(PARTITION BY msisdn ORDER BY datetime DESC, a1) AS rn FROM oracle.located WHERE " +
                              $"{Window("2016-01-03", "2016-01-04")} AND {night} AND a1 IS NOT NULL) x WHERE rn = 1";
        await AssertMatchesOracle(new JsonObject { ["query_kind"] = "unmoving_counts", ["locations"] = unique.DeepClone() },
            $"SELECT pcod, count(*) FROM ({single}) s GROUP BY pcod HAVING count(*) > 15");
        await AssertMatchesOracle(new JsonObject
        {
            ["query_kind"] = "unmoving_at_reference_location_counts", ["locations"] = unique.DeepClone(),
            ["reference_locations"] = reference,
        }, $"""
            SELECT r.pcod, count(*) FROM ({oracleReference}) r
            JOIN ({single}) s ON s.subscriber = r.subscriber AND s.pcod = r.pcod GROUP BY r.pcod HAVING count(*) > 15
            """);
    }

    private static string OracleSteps => $"""
        SELECT msisdn, a1 AS f, lead(a1) OVER (PARTITION BY msisdn ORDER BY datetime, a1) AS t,
               lead(msisdn) OVER (PARTITION BY msisdn ORDER BY datetime, a1) AS has_next
        FROM oracle.located WHERE {Window()} AND a1 IS NOT NULL
        """;

    [Fact]
    public async Task Consecutive_trips_od_matrix_counts_moves()
    {
        await AssertMatchesOracle(SampleSpecs.Windowed("consecutive_trips_od_matrix", "admin1"), $"""
            SELECT f, t, count(*) FROM ({OracleSteps}) s WHERE has_next IS NOT NULL AND f <> t
            GROUP BY f, t HAVING count(DISTINCT msisdn) > 15
            """);
    }

    [Fact]
    public async Task Trips_od_matrix_counts_subscribers_per_pair()
    {
        await AssertMatchesOracle(SampleSpecs.Windowed("trips_od_matrix", "admin1"), $"""
            SELECT f, t, count(DISTINCT msisdn) FROM ({OracleSteps}) s WHERE has_next IS NOT NULL
            GROUP BY f, t HAVING count(DISTINCT msisdn) > 15
            """);
    }

    [Fact]
    public async Task Geography_and_dummy_query()
    {
        var geo = Parse(SampleSpecs.Parse("""{"query_kind":"geography","aggregation_unit":"admin2"}"""));
        var rows = await Db.RunAsync($"SELECT pcod, name FROM ({geo.BuildSql(InlineSqlSource.Instance)}) g");
        var oracle = await Db.RunAsync("SELECT admin2pcod, admin2name FROM geography.admin2");
        Assert.NotEmpty(oracle.Rows);
        Assert.Equal(oracle.Rows, rows.Rows);

        var features = await Db.RunAsync(Geography.GeoJsonSql("admin2"));
        Assert.Equal(oracle.Rows.Count, features.Rows.Count);
        var feature = JsonNode.Parse(features.Rows[0])!;
        Assert.Equal("Feature", feature["type"]!.GetValue<string>());
        Assert.NotNull(feature["geometry"]!["coordinates"]);

        var points = await Db.RunAsync(Geography.GeoJsonSql("lon-lat"));
        var distinctCells = await Db.RunAsync("SELECT DISTINCT ST_X(geom_point), ST_Y(geom_point) FROM infrastructure.cells WHERE geom_point IS NOT NULL");
        Assert.Equal(distinctCells.Rows.Count, points.Rows.Count);

        var dummy = Parse(SampleSpecs.AllTopLevel().First());
        Assert.Equal(["1"], (await Db.RunAsync(dummy.BuildSql(InlineSqlSource.Instance))).Rows);
    }

    [Fact]
    public async Task Geo_sql_gives_one_feature_per_result_row()
    {
        var q = Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation(unit: "admin1")));
        var result = await Db.RunAsync(q.BuildSql(InlineSqlSource.Instance));
        var features = await Db.RunAsync(q.BuildGeoJsonSql(q.BuildSql(InlineSqlSource.Instance))!);
        Assert.Equal(result.Rows.Count, features.Rows.Count);
        var first = JsonNode.Parse(features.Rows[0])!;
        Assert.NotNull(first["properties"]!["value"]);

        var flows = Parse(SampleSpecs.Flows("flows", "admin1"));
        var flowFeatures = await Db.RunAsync(flows.BuildGeoJsonSql(flows.BuildSql(InlineSqlSource.Instance))!);
        Assert.NotEmpty(flowFeatures.Rows);
        Assert.NotNull(JsonNode.Parse(flowFeatures.Rows[0])!["properties"]!["outflows"]);
    }
}
