using FlowAkka.FlowDb.Schema;
using Npgsql;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

public sealed class FlowDbSchemaSpecs : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private const string ObjectCount = """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('events', 'infrastructure', 'geography', 'etl', 'cache', 'dfs')
        """;

    [Fact]
    public async Task Applying_the_schema_twice_changes_nothing_the_second_time()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);
        var objects = await _db.ScalarAsync<long>(ObjectCount);

        await FlowDbSchema.EnsureAsync(_db.Db);

        Assert.Equal(objects, await _db.ScalarAsync<long>(ObjectCount));
        Assert.Equal(3L, await _db.ScalarAsync<long>("SELECT count(*) FROM cache.cache_config"));
        Assert.Equal(10L, await _db.ScalarAsync<long>("SELECT count(*) FROM cache.zero_cache"));
    }

    [Fact]
    public async Task Creates_the_flowkit_tables_with_their_columns()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);

        foreach (var (table, column) in new[]
                 {
                     ("events.calls", "msisdn_counterpart"), ("events.sms", "msisdn_counterpart"), ("events.mds", "volume_download"),
                     ("events.topups", "post_event_balance"), ("infrastructure.cells", "geom_point"), ("infrastructure.sites", "is_cow"),
                     ("infrastructure.tacs", "hnd_type"), ("geography.admin3", "admin2pcod"), ("etl.etl_records", "cdr_date"),
                     ("etl.post_etl_queries", "type_of_query_or_check"), ("cache.cached", "cache_score_multiplier"),
                 })
        {
            var parts = table.Split('.');
            Assert.True(await _db.ScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3)",
                    parts[0], parts[1], column),
                $"{table}.{column} is missing");
        }
        Assert.Equal("p", await _db.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE oid = 'events.calls'::regclass"));
        Assert.True(await _db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'dfs')"));
    }

    [Fact]
    public async Task Concurrent_callers_all_succeed()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => CacheSchema.EnsureAsync(_db.Db))));

        Assert.Equal(3L, await _db.ScalarAsync<long>("SELECT count(*) FROM cache.cache_config"));
    }

    [Fact]
    public async Task Flowmachine_can_reapply_the_schema_a_superuser_created_and_owns_the_cache()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);
        await using var flowmachine = _db.As("flowmachine", "flowmachine");

        await FlowDbSchema.EnsureAsync(flowmachine);
        await CacheSchema.EnsureAsync(flowmachine);

        Assert.Equal("flowmachine", await _db.ScalarAsync<string>("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'cache.cached'::regclass"));
    }

    [Fact]
    public async Task Flowmachine_can_set_up_a_fresh_database_it_owns()
    {
        var owned = new TestDatabase(owner: "flowmachine");
        await owned.InitializeAsync();
        try
        {
            await using var flowmachine = owned.As("flowmachine", "flowmachine");

            await FlowDbSchema.EnsureAsync(flowmachine);
            await CacheSchema.EnsureAsync(flowmachine);

            var error = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync<double>(flowmachine, "SELECT touch_cache('x')"));
            Assert.Equal("Cache record x not found", error.MessageText);
        }
        finally
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task Flowapi_can_read_cache_tables_flowmachine_creates_later()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);
        await using (var flowmachine = _db.As("flowmachine", "flowmachine"))
        await using (var create = flowmachine.CreateCommand("CREATE TABLE cache.x0123 AS SELECT 1 AS value"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var flowapi = _db.As("flowapi", "flowapi");
        Assert.Equal(1, await TestDatabase.ScalarAsync<int>(flowapi, "SELECT value FROM cache.x0123"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(flowapi, "SELECT count(*) FROM events.calls"));
    }

    [Fact]
    public async Task A_day_partition_holds_exactly_that_utc_day()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);

        await FlowDbSchema.EnsureDayPartitionsAsync(_db.Db, "calls", new DateOnly(2016, 1, 1), 2);
        await FlowDbSchema.EnsureDayPartitionsAsync(_db.Db, "calls", new DateOnly(2016, 1, 1));

        await _db.ExecuteAsync("INSERT INTO events.calls (datetime, msisdn) VALUES ('2016-01-01 23:59:59+00', 'a'), ('2016-01-02 00:00:00+00', 'b')");
        Assert.Equal("a", await _db.ScalarAsync<string>("SELECT msisdn FROM events.calls_20160101"));
        Assert.Equal("b", await _db.ScalarAsync<string>("SELECT msisdn FROM events.calls_20160102"));
        // The partition inherits the parent's indexes.
        Assert.Equal(5L, await _db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'events' AND tablename = 'calls_20160101'"));
        var outside = await Assert.ThrowsAsync<PostgresException>(() =>
            _db.ExecuteAsync("INSERT INTO events.calls (datetime, msisdn) VALUES ('2016-01-03 00:00:00+00', 'c')"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, outside.SqlState);
    }

    [Fact]
    public async Task Only_event_tables_get_day_partitions()
    {
        await FlowDbSchema.EnsureAsync(_db.Db);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            FlowDbSchema.EnsureDayPartitionsAsync(_db.Db, "calls; DROP TABLE cache.cached", new DateOnly(2016, 1, 1)));
        Assert.Contains("not a partitioned event table", error.Message);
        Assert.Equal("events.calls_20160101", "events." + FlowDbSchema.DayPartitionName("calls", new DateOnly(2016, 1, 1)));
    }
}
