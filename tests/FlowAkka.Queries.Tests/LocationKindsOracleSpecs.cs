using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public class LocationKindsOracleSpecs(FlowDbFixture db) : OracleSpecBase(db)
{
    [Fact]
    public async Task Daily_location_last_is_the_latest_events_location()
    {
        var latest = $"""
            WITH d AS (SELECT msisdn, a3, datetime FROM oracle.located WHERE {Window("2016-01-02", "2016-01-03")} AND a3 IS NOT NULL),
            m AS (SELECT msisdn, max(datetime) AS m FROM d GROUP BY msisdn)
            SELECT d.msisdn, min(d.a3) FROM d JOIN m ON m.msisdn = d.msisdn AND d.datetime = m.m GROUP BY d.msisdn
            """;
        var q = Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation("2016-01-02"))).Dependencies[0];
        await AssertMatchesOracle(q, latest);
    }

    [Fact]
    public async Task Daily_location_most_common_at_lon_lat()
    {
        var q = Parse(SampleSpecs.DailyLocation("2016-01-01", "most-common", "lon-lat"), QueryCatalog.ReferenceLocation);
        await AssertMatchesOracle(q, $"""
            WITH c AS (SELECT msisdn, lon, lat, count(*) AS n, max(datetime) AS latest FROM oracle.located
                       WHERE {Window("2016-01-01", "2016-01-02")} AND geom_point IS NOT NULL GROUP BY msisdn, lon, lat)
            SELECT msisdn, lon, lat FROM (SELECT c.*, rank() OVER (PARTITION BY msisdn ORDER BY n DESC, latest DESC, lon, lat) AS rk FROM c) r
            WHERE rk = 1
            """);
    }

    [Fact]
    public async Task Most_frequent_location_with_hours_and_event_types()
    {
        var spec = SampleSpecs.Windowed("most_frequent_location", "admin2");
        spec["event_types"] = new JsonArray("sms", "calls");
        spec["hours"] = SampleSpecs.Parse("""{"start_hour":8,"end_hour":20}""");
        await AssertMatchesOracle(Parse(spec, QueryCatalog.ReferenceLocation), $"""
            WITH c AS (SELECT msisdn, a2, count(*) AS n, max(datetime) AS latest FROM oracle.located
                       WHERE {Window()} AND t IN ('calls', 'sms') AND extract(hour FROM datetime) >= 8
                       AND extract(hour FROM datetime) < 20 AND a2 IS NOT NULL GROUP BY msisdn, a2)
            SELECT msisdn, a2 FROM (SELECT c.*, rank() OVER (PARTITION BY msisdn ORDER BY n DESC, latest DESC, a2) AS rk FROM c) r
            WHERE rk = 1
            """);
    }

    [Fact]
    public async Task Visited_most_days_counts_distinct_days()
    {
        var spec = SampleSpecs.Windowed("visited_most_days", "admin3", "2016-01-01", "2016-01-04");
        await AssertMatchesOracle(Parse(spec, QueryCatalog.ReferenceLocation), $"""
            WITH c AS (SELECT msisdn, a3, count(DISTINCT datetime::date) AS days, count(*) AS n, max(datetime) AS latest
                       FROM oracle.located WHERE {Window("2016-01-01", "2016-01-04")} AND a3 IS NOT NULL GROUP BY msisdn, a3)
            SELECT msisdn, a3 FROM (SELECT c.*, rank() OVER (PARTITION BY msisdn ORDER BY days DESC, n DESC, latest DESC, a3) AS rk FROM c) r
            WHERE rk = 1
            """);
    }

    [Fact]
    public async Task Unique_locations_are_distinct_pairs()
    {
        var spec = SampleSpecs.Windowed("unique_locations", "admin2");
        await AssertMatchesOracle(Parse(spec, QueryCatalog.InputToFlows),
            $"SELECT msisdn, a2 FROM oracle.located WHERE {Window()} AND a2 IS NOT NULL GROUP BY msisdn, a2");
    }

    [Fact]
    public async Task Modal_location_is_the_most_frequent_daily_location()
    {
        var q = Parse(SampleSpecs.ModalLocation(), QueryCatalog.ReferenceLocation);
        Assert.Equal(3, q.Dependencies.Count);
        await AssertMatchesOracle(q, """
            WITH d AS (SELECT msisdn, a3, datetime::date AS day, datetime FROM oracle.located
                       WHERE datetime >= '2016-01-01'::timestamptz AND datetime < '2016-01-04'::timestamptz AND a3 IS NOT NULL),
            lastpd AS (SELECT msisdn, day, a3 FROM (SELECT d.*, row_number() OVER (PARTITION BY msisdn, day ORDER BY datetime DESC, a3) AS rn FROM d) x WHERE rn = 1),
            cnt AS (SELECT msisdn, a3, count(*) AS n FROM lastpd GROUP BY msisdn, a3)
            SELECT msisdn, a3 FROM (SELECT cnt.*, row_number() OVER (PARTITION BY msisdn ORDER BY n DESC, a3) AS rn FROM cnt) y WHERE rn = 1
            """);
    }

    [Fact]
    public async Task Sampling_is_a_deterministic_subset()
    {
        var full = await Db.RunAsync(Parse(SampleSpecs.DailyLocation(), QueryCatalog.ReferenceLocation).BuildSql(InlineSqlSource.Instance));
        var halfSpec = SampleSpecs.DailyLocation();
        halfSpec["sampling"] = SampleSpecs.Parse("""{"sampling_method":"bernoulli","seed":0.3,"fraction":0.5}""");
        var half = Parse(halfSpec, QueryCatalog.ReferenceLocation).BuildSql(InlineSqlSource.Instance);
        var first = await Db.RunAsync(half);
        var second = await Db.RunAsync(half);
        Assert.Equal(first.Rows, second.Rows);
        Assert.Subset(full.Rows.ToHashSet(), first.Rows.ToHashSet());
        Assert.InRange(first.Rows.Count, full.Rows.Count / 4, full.Rows.Count * 3 / 4);

        var sizeSpec = SampleSpecs.DailyLocation();
        sizeSpec["sampling"] = SampleSpecs.Parse("""{"sampling_method":"random_ids","seed":-0.5,"size":10}""");
        var ten = await Db.RunAsync(Parse(sizeSpec, QueryCatalog.ReferenceLocation).BuildSql(InlineSqlSource.Instance));
        Assert.Equal(10, ten.Rows.Count);
        Assert.Subset(full.Rows.ToHashSet(), ten.Rows.ToHashSet());
    }

    [Fact]
    public async Task Subscriber_subset_restricts_to_the_subsets_subscribers()
    {
        var id = "0123456789abcdef0123456789abcdef";
        await using (var conn = await Db.Db.OpenConnectionAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS cache.x{id} AS SELECT DISTINCT msisdn AS subscriber FROM events.calls ORDER BY 1 LIMIT 40", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var spec = SampleSpecs.DailyLocation();
        spec["subscriber_subset"] = id;
        await AssertMatchesOracle(Parse(spec, QueryCatalog.ReferenceLocation),
            $"SELECT * FROM ({OracleDailyLast("2016-01-01", "2016-01-02", "a3")}) o WHERE o.subscriber IN (SELECT subscriber FROM cache.x{id})");
    }
}
