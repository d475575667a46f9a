using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public class MetricKindsOracleSpecs(FlowDbFixture db) : OracleSpecBase(db)
{
    private Task<IReadOnlyList<string>> Metric(JsonObject spec, string oracle) =>
        AssertMatchesOracle(Parse(spec, QueryCatalog.JoinableMetrics), oracle);

    [Fact]
    public Task Radius_of_gyration() => Metric(SampleSpecs.Metric("radius_of_gyration"), $"""
        WITH p AS (SELECT msisdn, geom_point, lon, lat FROM oracle.located WHERE {Window()} AND geom_point IS NOT NULL),
        c AS (SELECT msisdn, avg(lon) AS cx, avg(lat) AS cy FROM p GROUP BY msisdn)
        SELECT p.msisdn, sqrt(avg(ST_Distance(p.geom_point::geography, ST_SetSRID(ST_MakePoint(c.cx, c.cy), 4326)::geography) ^ 2)) / 1000
        FROM p JOIN c ON c.msisdn = p.msisdn GROUP BY p.msisdn
        """);

    [Fact]
    public Task Unique_location_counts() => Metric(SampleSpecs.Windowed("unique_location_counts", "admin3"),
        $"SELECT msisdn, count(DISTINCT a3) FROM oracle.located WHERE {Window()} AND a3 IS NOT NULL GROUP BY msisdn");

    [Fact]
    public Task Subscriber_degree_incoming() => Metric(SampleSpecs.Metric("subscriber_degree", ""","direction":"in" """),
        $"SELECT msisdn, count(DISTINCT msisdn_counterpart) FROM oracle.ev WHERE {Window()} AND outgoing = false AND msisdn_counterpart IS NOT NULL GROUP BY msisdn");

    [Fact]
    public Task Event_count_of_some_tables() => Metric(SampleSpecs.Metric("event_count", ""","event_types":["mds","sms"]"""),
        $"SELECT msisdn, count(*) FROM oracle.ev WHERE {Window()} AND t IN ('sms', 'mds') GROUP BY msisdn");

    [Fact]
    public Task Nocturnal_events() => Metric(SampleSpecs.Metric("nocturnal_events", ""","night_hours":{"start_hour":20,"end_hour":4}"""),
        $"SELECT msisdn, 100 * avg(CASE WHEN extract(hour FROM datetime) >= 20 OR extract(hour FROM datetime) < 4 THEN 1 ELSE 0 END) FROM oracle.ev WHERE {Window()} GROUP BY msisdn");

    [Fact]
    public Task Pareto_interactions() => Metric(SampleSpecs.Metric("pareto_interactions", ""","proportion":0.8"""), $"""
        WITH c AS (SELECT msisdn, msisdn_counterpart, count(*) AS n FROM oracle.ev WHERE {Window()} AND msisdn_counterpart IS NOT NULL GROUP BY 1, 2),
        r AS (SELECT msisdn, row_number() OVER (PARTITION BY msisdn ORDER BY n DESC, msisdn_counterpart) AS k,
                     sum(n) OVER (PARTITION BY msisdn ORDER BY n DESC, msisdn_counterpart) AS cum FROM c),
        tot AS (SELECT msisdn, sum(n) AS total, count(*) AS contacts FROM c GROUP BY msisdn)
        SELECT r.msisdn, min(r.k)::float8 / max(tot.contacts) FROM r JOIN tot ON tot.msisdn = r.msisdn
        WHERE r.cum >= 0.8 * tot.total GROUP BY r.msisdn
        """);

    [Fact]
    public Task Displacement_from_the_reference_admin_centroid() => Metric(new JsonObject
    {
        ["query_kind"] = "displacement", ["start_date"] = "2016-01-02", ["end_date"] = "2016-01-04", ["statistic"] = "max",
        ["reference_location"] = SampleSpecs.DailyLocation("2016-01-01", unit: "admin3"),
    }, $"""
        WITH home AS ({OracleDailyLast("2016-01-01", "2016-01-02", "a3")})
        SELECT l.msisdn, max(ST_Distance(l.geom_point::geography, ST_Centroid(g.geom)::geography)) / 1000
        FROM oracle.located l JOIN home h ON h.subscriber = l.msisdn JOIN geography.admin3 g ON g.admin3pcod = h.pcod
        WHERE {Window("2016-01-02", "2016-01-04", "l.")} AND l.geom_point IS NOT NULL GROUP BY l.msisdn
        """);

    [Fact]
    public Task Topup_amount_and_balance()
    {
        return Task.WhenAll(
            Metric(SampleSpecs.Metric("topup_amount", ""","statistic":"avg" """),
                $"SELECT msisdn, avg(recharge_amount) FROM events.topups WHERE {Window()} GROUP BY msisdn"),
            Metric(SampleSpecs.Metric("topup_balance", ""","statistic":"median" """),
                $"SELECT msisdn, percentile_cont(0.5) WITHIN GROUP (ORDER BY post_event_balance) FROM events.topups WHERE {Window()} GROUP BY msisdn"));
    }

    [Fact]
    public Task Handset_brand_most_common() => Metric(SampleSpecs.Metric("handset", ""","characteristic":"brand","method":"most-common" """), $"""
        WITH c AS (SELECT e.msisdn, t.brand, count(*) AS n, max(e.datetime) AS latest FROM oracle.ev e JOIN infrastructure.tacs t ON t.id = e.tac
                   WHERE {Window("2016-01-01", "2016-01-03", "e.")} GROUP BY e.msisdn, t.brand)
        SELECT msisdn, brand FROM (SELECT c.*, row_number() OVER (PARTITION BY msisdn ORDER BY n DESC, latest DESC, brand) AS rn FROM c) x WHERE rn = 1
        """);

    [Fact]
    public Task Total_active_periods_in_half_days() => Metric(
        SampleSpecs.Parse("""{"query_kind":"total_active_periods","start_date":"2016-01-01","total_periods":5,"period_length":12,"period_unit":"hours"}"""),
        $"SELECT msisdn, count(DISTINCT (datetime::date, extract(hour FROM datetime) >= 12)) FROM oracle.ev WHERE {Window("2016-01-01 00:00:00", "2016-01-03 12:00:00")} GROUP BY msisdn");

    [Fact]
    public async Task Joined_spatial_aggregate_of_a_continuous_metric()
    {
        await AssertMatchesOracle(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("event_count", ""","direction":"out" """), "avg", "admin1"), $"""
            WITH m AS (SELECT msisdn, count(*) AS value FROM oracle.ev WHERE {Window()} AND outgoing GROUP BY msisdn)
            SELECT l.pcod, avg(m.value) FROM ({OracleDailyLast("2016-01-01", "2016-01-02", "a1")}) l JOIN m ON m.msisdn = l.subscriber
            GROUP BY l.pcod HAVING count(*) > 15
            """);
    }

    [Fact]
    public async Task Joined_spatial_aggregate_distribution_of_handsets()
    {
        await AssertMatchesOracle(
            SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("handset", ""","characteristic":"hnd_type","method":"last" """), "distr", "admin1"), $"""
            WITH h AS (SELECT msisdn, hnd_type FROM (SELECT e.msisdn, t.hnd_type, row_number() OVER (PARTITION BY e.msisdn ORDER BY e.datetime DESC, t.hnd_type) AS rn
                       FROM oracle.ev e JOIN infrastructure.tacs t ON t.id = e.tac WHERE {Window("2016-01-01", "2016-01-03", "e.")}) x WHERE rn = 1),
            j AS (SELECT l.pcod, h.hnd_type FROM ({OracleDailyLast("2016-01-01", "2016-01-02", "a1")}) l JOIN h ON h.msisdn = l.subscriber),
            tot AS (SELECT pcod, count(*) AS n FROM j GROUP BY pcod HAVING count(*) > 15)
            SELECT j.pcod, j.hnd_type, count(*)::float8 / max(tot.n) FROM j JOIN tot ON tot.pcod = j.pcod GROUP BY j.pcod, j.hnd_type
            """);
    }

    private static string EventCounts => $"SELECT msisdn, count(*)::float8 AS v FROM oracle.ev WHERE {Window()} GROUP BY msisdn";

    [Fact]
    public async Task Histogram_with_n_bins_over_the_data_range()
    {
        var spec = new JsonObject
        {
            ["query_kind"] = "histogram_aggregate", ["metric"] = SampleSpecs.Metric("event_count"),
            ["bins"] = new JsonObject { ["n_bins"] = 4 },
        };
        var rows = await AssertMatchesOracle(spec, $"""
            WITH v AS ({EventCounts}), b AS (SELECT min(v) AS lo, max(v) AS hi FROM v)
            SELECT count(v.v) FILTER (WHERE v.v IS NOT NULL), b.lo + (b.hi - b.lo) * i / 4, b.lo + (b.hi - b.lo) * (i + 1) / 4
            FROM b CROSS JOIN generate_series(0, 3) i
            LEFT JOIN v ON width_bucket(v.v, b.lo, b.hi, 4) - 1 = i OR (i = 3 AND v.v = b.hi)
            GROUP BY i, b.lo, b.hi
            """);
        var total = await Db.RunAsync($"SELECT count(*) FROM ({EventCounts}) c");
        Assert.Equal(long.Parse(total.Rows[0]), rows.Sum(r => long.Parse(r.Split(" | ")[0])));
    }

    [Fact]
    public async Task Histogram_with_a_bin_list_and_range()
    {
        var spec = new JsonObject
        {
            ["query_kind"] = "histogram_aggregate", ["metric"] = SampleSpecs.Metric("event_count"),
            ["bins"] = SampleSpecs.Parse("""{"bin_list":[0, 10, 20, 40]}"""),
        };
        await AssertMatchesOracle(spec, $"""
            WITH v AS ({EventCounts})
            SELECT (SELECT count(*) FROM v WHERE v.v >= e.lo AND (v.v < e.hi OR (e.hi = 40 AND v.v = 40))), e.lo, e.hi
            FROM (VALUES (0::float8, 10::float8), (10, 20), (20, 40)) e(lo, hi)
            """);
    }
}
