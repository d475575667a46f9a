using FlowAkka.FlowDb.Synthetic;
using Npgsql;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

/// <summary>One small synthetic country, generated once for all the shape checks.</summary>
public sealed class SmallCountryFixture : IAsyncLifetime
{
    public static readonly DatagenOptions Small = new()
    {
        NSubscribers = 200, NCells = 50, NSites = 30, NTacs = 100, NCalls = 2000, NSms = 1000, NMds = 500, NTopups = 200, NDays = 2,
    };

    public TestDatabase Database { get; } = new();
    public List<DatagenProgress> Progress { get; } = [];
    public bool WasEmptyBefore { get; private set; }

    public Task InitializeAsync() => Database.InitializeAsync(async () =>
    {
        WasEmptyBefore = await SyntheticDataGenerator.IsEmptyAsync(Database.Db, default);
        await new SyntheticDataGenerator().GenerateAsync(Database.Db, Small, new SynchronousProgress(Progress), default);
    });

    public Task DisposeAsync() => Database.DisposeAsync();

    private sealed class SynchronousProgress(List<DatagenProgress> sink) : IProgress<DatagenProgress>
    {
        public void Report(DatagenProgress value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}

public sealed class SyntheticDataGeneratorSpecs(SmallCountryFixture country) : IClassFixture<SmallCountryFixture>
{
    private readonly TestDatabase _db = country.Database;

    // Order-independent digest of a query's rows.
    internal static Task<string> ChecksumAsync(NpgsqlDataSource db, string select) =>
        TestDatabase.ScalarAsync<string>(db, $"SELECT coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') FROM (SELECT (t.*)::text AS r FROM ({select}) t) q");

    internal static readonly string[] Tables =
    [
        "SELECT * FROM geography.admin0", "SELECT * FROM geography.admin1", "SELECT * FROM geography.admin2", "SELECT * FROM geography.admin3",
        "SELECT * FROM infrastructure.sites", "SELECT * FROM infrastructure.cells", "SELECT * FROM infrastructure.tacs",
        "SELECT * FROM events.calls", "SELECT * FROM events.sms", "SELECT * FROM events.mds", "SELECT * FROM events.topups",
        "SELECT * FROM events.location_ids",
        "SELECT cdr_type, cdr_date, state FROM etl.etl_records",
        "SELECT cdr_date, cdr_type, type_of_query_or_check, outcome FROM etl.post_etl_queries",
    ];

    [Fact]
    public async Task Fills_an_empty_database_with_the_requested_volumes()
    {
        Assert.True(country.WasEmptyBefore);
        Assert.False(await SyntheticDataGenerator.IsEmptyAsync(_db.Db, default));
        Assert.Equal(2 * 2 * 2000L, await _db.ScalarAsync<long>("SELECT count(*) FROM events.calls"));
        Assert.Equal(2 * 2 * 1000L, await _db.ScalarAsync<long>("SELECT count(*) FROM events.sms"));
        Assert.Equal(2 * 500L, await _db.ScalarAsync<long>("SELECT count(*) FROM events.mds"));
        Assert.Equal(2 * 200L, await _db.ScalarAsync<long>("SELECT count(*) FROM events.topups"));
        Assert.Equal(50L, await _db.ScalarAsync<long>("SELECT count(*) FROM infrastructure.cells"));
        Assert.Equal(30L, await _db.ScalarAsync<long>("SELECT count(*) FROM infrastructure.sites"));
        Assert.Equal(100L, await _db.ScalarAsync<long>("SELECT count(*) FROM infrastructure.tacs"));
        Assert.Equal(200L, await _db.ScalarAsync<long>("SELECT count(DISTINCT msisdn) FROM events.calls"));
        Assert.Equal(2 * 2000L, await _db.ScalarAsync<long>("SELECT count(*) FROM events.calls_20160102"));
    }

    [Fact]
    public async Task Rejects_a_database_that_already_holds_data()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new SyntheticDataGenerator().GenerateAsync(_db.Db, SmallCountryFixture.Small, null, default));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Reports_progress_for_every_step_and_day()
    {
        List<DatagenProgress> steps;
        lock (country.Progress)
        {
            steps = [.. country.Progress];
        }
        Assert.Equal(6 + 4 * 2, steps.Count);
        Assert.All(steps, s => Assert.Equal(14, s.Total));
        Assert.Equal(Enumerable.Range(1, 14), steps.Select(s => s.Completed).Order());
        Assert.Contains(steps, s => s.Step == "calls 2016-01-02");
    }

    [Theory]
    [InlineData("calls")]
    [InlineData("sms")]
    public async Task Calls_and_sms_are_in_two_line_form(string table)
    {
        // Every id has exactly one outgoing and one incoming row with swapped parties and the same time (and duration).
        var sameDuration = table == "calls" ? "AND o.duration = i.duration AND o.duration BETWEEN 0 AND 2600" : "";
        var ids = await _db.ScalarAsync<long>($"SELECT count(DISTINCT id) FROM events.{table}");
        var paired = await _db.ScalarAsync<long>($"""
            SELECT count(*) FROM events.{table} o JOIN events.{table} i ON i.id = o.id AND NOT i.outgoing
            WHERE o.outgoing AND o.msisdn = i.msisdn_counterpart AND i.msisdn = o.msisdn_counterpart
              AND o.msisdn <> i.msisdn AND o.datetime = i.datetime {sameDuration}
            """);
        var badIds = await _db.ScalarAsync<long>($"""
            SELECT count(*) FROM (SELECT id FROM events.{table} GROUP BY id
                                  HAVING count(*) <> 2 OR count(*) FILTER (WHERE outgoing) <> 1) x
            """);

        Assert.Equal(await _db.ScalarAsync<long>($"SELECT count(*) FROM events.{table}") / 2, ids);
        Assert.Equal(ids, paired);
        Assert.Equal(0L, badIds);
    }

    [Fact]
    public async Task Every_side_of_an_event_is_at_its_own_subscribers_known_cell_and_handset()
    {
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM events.calls e LEFT JOIN infrastructure.cells c ON c.id = e.location_id WHERE c.id IS NULL
            """));
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM events.mds e LEFT JOIN infrastructure.tacs t ON t.id = e.tac WHERE t.id IS NULL
            """));
        // A subscriber keeps one imei/imsi/tac.
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT msisdn FROM events.calls GROUP BY msisdn HAVING count(DISTINCT (imei, imsi, tac)) > 1) x
            """));
    }

    [Fact]
    public async Task Subscribers_spend_most_events_at_a_few_cells()
    {
        // Home and frequent cells dominate: on average the top cell of a subscriber-day carries a large share.
        var share = await _db.ScalarAsync<double>("""
            SELECT avg(top::float / total) FROM (
                SELECT msisdn, day, max(n) AS top, sum(n) AS total
                FROM (SELECT msisdn, datetime::date AS day, location_id, count(*) AS n FROM events.calls
                      GROUP BY msisdn, datetime::date, location_id) x
                GROUP BY msisdn, day HAVING sum(n) >= 10) y
            """);
        Assert.True(share > 0.3, $"top-cell share {share}");
    }

    [Fact]
    public async Task Every_cell_lies_inside_an_admin3_unit_and_some_units_have_none()
    {
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM infrastructure.cells c
            WHERE NOT EXISTS (SELECT 1 FROM geography.admin3 a WHERE ST_Within(c.geom_point, a.geom))
            """));
        Assert.True(await _db.ScalarAsync<long>("""
            SELECT count(*) FROM geography.admin3 a
            WHERE NOT EXISTS (SELECT 1 FROM infrastructure.cells c WHERE ST_Within(c.geom_point, a.geom))
            """) > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Admin_levels_nest_and_tile_their_parent(int level)
    {
        var parent = level - 1;
        var outside = await _db.ScalarAsync<long>($"""
            SELECT count(*) FROM geography.admin{level} c JOIN geography.admin{parent} p ON p.admin{parent}pcod = c.admin{parent}pcod
            WHERE NOT ST_CoveredBy(c.geom, p.geom) OR c.admin{parent}name <> p.admin{parent}name
            """);
        var orphans = await _db.ScalarAsync<long>($"""
            SELECT count(*) FROM geography.admin{level} c
            WHERE NOT EXISTS (SELECT 1 FROM geography.admin{parent} p WHERE p.admin{parent}pcod = c.admin{parent}pcod)
            """);
        // Children cover the parent without overlap: their areas add up to the parent's.
        var areaMismatch = await _db.ScalarAsync<double>($"""
            SELECT coalesce(max(abs(p_area - c_area) / p_area), 1) FROM (
                SELECT ST_Area(p.geom) AS p_area, sum(ST_Area(c.geom)) AS c_area
                FROM geography.admin{parent} p JOIN geography.admin{level} c ON c.admin{parent}pcod = p.admin{parent}pcod
                GROUP BY p.gid, p.geom) x
            """);

        Assert.Equal(0L, outside);
        Assert.Equal(0L, orphans);
        Assert.True(areaMismatch < 1e-9, $"area mismatch {areaMismatch}");
        Assert.True(await _db.ScalarAsync<bool>($"SELECT bool_and(admin{level}pcod LIKE admin{parent}pcod || '.%') FROM geography.admin{level}"));
    }

    [Fact]
    public async Task Etl_records_list_every_day_and_cdr_type_as_ingested()
    {
        var rows = await _db.ScalarAsync<string>("""
            SELECT string_agg(cdr_type || ' ' || cdr_date || ' ' || state, ',' ORDER BY cdr_type, cdr_date) FROM etl.etl_records
            """);

        Assert.Equal(
            "calls 2016-01-01 ingested,calls 2016-01-02 ingested,mds 2016-01-01 ingested,mds 2016-01-02 ingested,"
            + "sms 2016-01-01 ingested,sms 2016-01-02 ingested,topups 2016-01-01 ingested,topups 2016-01-02 ingested",
            rows);
    }

    [Fact]
    public async Task Qa_checks_describe_the_loaded_days()
    {
        Assert.Equal("4000", await _db.ScalarAsync<string>("""
            SELECT outcome FROM etl.post_etl_queries WHERE cdr_type = 'calls' AND cdr_date = '2016-01-01' AND type_of_query_or_check = 'count_added_rows'
            """));
        Assert.Equal("0", await _db.ScalarAsync<string>("""
            SELECT outcome FROM etl.post_etl_queries WHERE cdr_type = 'calls' AND cdr_date = '2016-01-02' AND type_of_query_or_check = 'count_duplicated'
            """));
        Assert.Equal(await _db.ScalarAsync<long>("SELECT count(DISTINCT msisdn) FROM events.sms_20160101"), long.Parse(await _db.ScalarAsync<string>("""
            SELECT outcome FROM etl.post_etl_queries WHERE cdr_type = 'sms' AND cdr_date = '2016-01-01' AND type_of_query_or_check = 'count_msisdns'
            """), System.Globalization.CultureInfo.InvariantCulture));
        // Every (cdr_type, day) has the same set of checks for its type.
        Assert.Equal(1L, await _db.ScalarAsync<long>("""
            SELECT count(DISTINCT n) FROM (SELECT cdr_date, count(*) AS n FROM etl.post_etl_queries WHERE cdr_type = 'calls' GROUP BY cdr_date) x
            """));
    }

    [Fact]
    public async Task Location_ids_record_first_and_last_active_days()
    {
        Assert.Equal(await _db.ScalarAsync<long>("SELECT count(DISTINCT location_id) FROM events.calls"),
                     await _db.ScalarAsync<long>("SELECT count(*) FROM events.location_ids WHERE cdr_type = 'calls'"));
        Assert.True(await _db.ScalarAsync<bool>("SELECT bool_and(first_active_date <= last_active_date) FROM events.location_ids"));
    }
}
