using FlowAkka.FlowDb.Schema;
using Npgsql;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

/// <summary>The cache schema's functions behave as FlowKit's (flowdb/bin/build/0030_utilities.sql).</summary>
public sealed class CacheSchemaSpecs : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync(() => CacheSchema.EnsureAsync(_db.Db));

    public Task DisposeAsync() => _db.DisposeAsync();

    private Task InsertCachedAsync(string id, string cls, decimal computeTime, string table) =>
        _db.ExecuteAsync("""
            INSERT INTO cache.cached (query_id, version, query, created, access_count, last_accessed, compute_time,
                                      cache_score_multiplier, class, schema, tablename, obj)
            VALUES ($1, '1.0', 'SELECT 1', now(), 0, now(), $2, 0, $3, 'cache', $4, ''::bytea)
            """, id, computeTime, cls, table);

    [Fact]
    public async Task Config_functions_return_the_defaults()
    {
        Assert.Equal(1000.0, await _db.ScalarAsync<double>("SELECT cache_half_life()"));
        Assert.Equal(10737418240L, await _db.ScalarAsync<long>("SELECT cache_max_size()"));
        Assert.Equal(86400L, await _db.ScalarAsync<long>("SELECT cache_protected_period()"));
    }

    [Fact]
    public async Task Cache_score_is_multiplier_times_compute_seconds_per_byte()
    {
        Assert.Equal(2.0 * (1500.0 / 1000) / 300, await _db.ScalarAsync<double>("SELECT cache_score(2, 1500, 300)"), 12);
    }

    [Fact]
    public async Task Table_size_is_the_total_relation_size_and_null_for_a_missing_table()
    {
        await _db.ExecuteAsync("CREATE TABLE cache.xsized AS SELECT g FROM generate_series(1, 1000) g");

        Assert.Equal(await _db.ScalarAsync<double>("SELECT pg_total_relation_size('cache.xsized')::float"),
                     await _db.ScalarAsync<double>("SELECT table_size('xsized', 'cache')"));
        Assert.True(await _db.ScalarAsync<bool>("SELECT table_size('nope', 'cache') IS NULL"));
    }

    [Fact]
    public async Task Touch_cache_counts_accesses_and_adds_the_recency_weight()
    {
        await _db.ExecuteAsync("CREATE TABLE cache.xaaaa AS SELECT g FROM generate_series(1, 100) g");
        var id = new string('a', 32);
        await InsertCachedAsync(id, "DailyLocation", 2000m, "xaaaa");
        await _db.ExecuteAsync("SELECT setval('cache.cache_touches', 1, false)");

        var first = await _db.ScalarAsync<double>("SELECT touch_cache($1)", id);
        var second = await _db.ScalarAsync<double>("SELECT touch_cache($1)", id);

        var weight = 1 + Math.Log(2) / 1000;
        var expectedMultiplier = Math.Pow(weight, -1) + Math.Pow(weight, 0);
        Assert.Equal(2, await _db.ScalarAsync<int>("SELECT access_count FROM cache.cached WHERE query_id = $1", id));
        Assert.Equal(expectedMultiplier, await _db.ScalarAsync<double>("SELECT cache_score_multiplier::float FROM cache.cached WHERE query_id = $1", id), 9);
        var size = await _db.ScalarAsync<double>("SELECT pg_total_relation_size('cache.xaaaa')::float");
        Assert.Equal(expectedMultiplier * 2.0 / size, second, 9);
        Assert.True(second > first);
        Assert.True(await _db.ScalarAsync<bool>("SELECT last_accessed >= created FROM cache.cached WHERE query_id = $1", id));
    }

    [Fact]
    public async Task Touch_cache_keeps_table_objects_at_zero()
    {
        var id = new string('b', 32);
        await InsertCachedAsync(id, "Table", 100m, "calls");

        Assert.Equal(0.0, await _db.ScalarAsync<double>("SELECT touch_cache($1)", id));
        Assert.Equal(1, await _db.ScalarAsync<int>("SELECT access_count FROM cache.cached WHERE query_id = $1", id));
    }

    [Fact]
    public async Task Touch_cache_raises_for_a_missing_record()
    {
        var missing = new string('c', 32);

        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.ScalarAsync<double>("SELECT touch_cache($1)", missing));

        Assert.Equal($"Cache record {missing} not found", error.MessageText);
    }

    [Fact]
    public async Task Deleting_a_cached_row_cascades_to_its_dependencies()
    {
        var parent = new string('d', 32);
        var child = new string('e', 32);
        await InsertCachedAsync(parent, "A", 1m, "xd");
        await InsertCachedAsync(child, "B", 1m, "xe");
        await _db.ExecuteAsync("INSERT INTO cache.dependencies (query_id, depends_on) VALUES ($1, $2)", child, parent);

        await _db.ExecuteAsync("DELETE FROM cache.cached WHERE query_id = $1", parent);

        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM cache.dependencies"));
    }
}
