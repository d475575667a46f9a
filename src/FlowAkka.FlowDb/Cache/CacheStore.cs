// Reads and writes FlowKit's cache: result tables cache.x<id> and their cache.cached / cache.dependencies rows.
using Npgsql;

namespace FlowAkka.FlowDb.Cache;

/// <summary>One result to store: the SELECT comes from the query library, never from a user string.</summary>
public sealed record CacheWrite(
    string QueryId,
    string SelectSql,
    IReadOnlyList<string> IndexColumns,
    string ClassName,
    IReadOnlyList<string> DependsOn,
    TimeSpan StatementTimeout);

public sealed record CacheWriteResult(bool AlreadyStored, double ComputeTimeMs);

public sealed record CacheEntry(string QueryId, string ClassName, long SizeBytes, double Score, int AccessCount,
    DateTimeOffset Created, DateTimeOffset LastAccessed, double ComputeTimeMs);

public sealed class CacheStore(NpgsqlDataSource db)
{
    /// <summary>The version written to cache.cached.version.</summary>
    public static readonly string Version = typeof(CacheStore).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Creates the table, its indexes and its metadata rows in one transaction (FlowKit PR #5520), so a crash leaves
    /// all of it or none. Idempotent: when the table and its row exist already, nothing runs again.
    /// </summary>
    public async Task<CacheWriteResult> WriteResultAsync(CacheWrite write, CancellationToken cancellationToken)
    {
        var table = CacheTableName.Qualified(write.QueryId);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One round trip: the session settings, the per-query lock (no two writers of one id, even a zombie node's),
        // and whether the result or a leftover table is already there.
        bool stored, leftover;
        await using (var preamble = new NpgsqlBatch(connection, transaction))
        {
            preamble.BatchCommands.Add(Command(
                "SELECT set_config('statement_timeout', $1, true), set_config('application_name', $2, true), " +
                "pg_advisory_xact_lock(hashtext('flowakka-cache'), hashtext($3))",
                ((long)write.StatementTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                CacheTableName.ApplicationName(write.QueryId), write.QueryId));
            preamble.BatchCommands.Add(Command(
                "SELECT EXISTS (SELECT 1 FROM cache.cached WHERE query_id = $1), to_regclass($2) IS NOT NULL",
                write.QueryId, table));
            await using var reader = await preamble.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (stored, leftover) = (reader.GetBoolean(0) && reader.GetBoolean(1), reader.GetBoolean(1));
        }

        if (stored)
        {
            await transaction.CommitAsync(cancellationToken);
            return new CacheWriteResult(AlreadyStored: true, ComputeTimeMs: 0);
        }

        // A table without its row is the leftover of a write that never committed its metadata: replace it.
        if (leftover) await ExecuteAsync(connection, transaction, $"DROP TABLE {table}", cancellationToken);

        // compute_time is the statement's own duration (FlowKit sums EXPLAIN ANALYZE's "Execution Time"; a plain
        // CREATE TABLE AS keeps event triggers and statistics meaningful and costs the same).
        double computeMs;
        await using (var create = new NpgsqlCommand(
                         $"CREATE TABLE {table} AS (SELECT * FROM ({write.SelectSql}) _)", connection, transaction))
        {
            create.CommandTimeout = 0; // bounded by statement_timeout, which PostgreSQL enforces and reports
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await create.ExecuteNonQueryAsync(cancellationToken);
            computeMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        // Indexes and metadata in one more round trip, still inside the transaction.
        await using (var metadata = new NpgsqlBatch(connection, transaction))
        {
            foreach (var column in write.IndexColumns.Distinct())
                metadata.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE INDEX ON {table} ({CacheTableName.QuotedColumn(column)})"));
            metadata.BatchCommands.Add(Command(
                """
                INSERT INTO cache.cached (query_id, version, query, created, access_count, last_accessed, compute_time,
                                          cache_score_multiplier, class, schema, tablename, obj)
                VALUES ($1, $2, $3, NOW(), 0, NOW(), $4, 0, $5, 'cache', $6, ''::bytea)
                ON CONFLICT (query_id) DO UPDATE SET last_accessed = NOW()
                """,
                write.QueryId, Version, write.SelectSql, computeMs, write.ClassName, CacheTableName.TableName(write.QueryId)));
            metadata.BatchCommands.Add(Command("SELECT touch_cache($1)", write.QueryId));
            metadata.BatchCommands.Add(Command(
                """
                INSERT INTO cache.dependencies (query_id, depends_on)
                SELECT $1, d FROM unnest($2::text[]) AS d WHERE EXISTS (SELECT 1 FROM cache.cached c WHERE c.query_id = d)
                ON CONFLICT DO NOTHING
                """,
                write.QueryId, write.DependsOn.Where(CacheTableName.IsQueryId).ToArray()));
            await metadata.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new CacheWriteResult(AlreadyStored: false, ComputeTimeMs: computeMs);
    }

    /// <summary>Drops the pooled idle connections, e.g. after FlowDB restarted and every one of them is dead.</summary>
    public void ClearIdleConnections() => db.Clear();

    public async Task<bool> IsStoredAsync(string queryId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await IsStoredAsync(connection, null, queryId, cancellationToken);
    }

    /// <summary>FlowKit's touch_cache on a read of the result; false when the entry is gone.</summary>
    public async Task<bool> TouchAsync(string queryId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM cache.cached WHERE query_id = @id) THEN touch_cache(@id) IS NOT NULL ELSE false END");
        command.Parameters.AddWithValue("id", queryId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken) ?? false);
    }

    /// <summary>Queries whose stored results were computed from this one (cache.dependencies).</summary>
    public async Task<IReadOnlyList<string>> DependantsOfAsync(string queryId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT rtrim(query_id) FROM cache.dependencies WHERE depends_on = @id ORDER BY 1");
        command.Parameters.AddWithValue("id", queryId);
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(reader.GetString(0));
        return result;
    }

    /// <summary>Drops the table and its row (its dependency rows go with it, ON DELETE CASCADE) in one transaction.</summary>
    public async Task DropAsync(string queryId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('flowakka-cache'), hashtext(@id))",
            cancellationToken, ("id", queryId));
        await ExecuteAsync(connection, transaction, "DELETE FROM cache.cached WHERE query_id = @id", cancellationToken, ("id", queryId));
        await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {CacheTableName.Qualified(queryId)}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Cancels the statement computing this query wherever it runs (pg_cancel_backend); returns how many.</summary>
    public async Task<int> CancelStatementsAsync(string queryId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT count(pg_cancel_backend(pid))::int FROM pg_stat_activity WHERE application_name = @app AND pid <> pg_backend_pid()");
        command.Parameters.AddWithValue("app", CacheTableName.ApplicationName(queryId));
        return (int)(await command.ExecuteScalarAsync(cancellationToken) ?? 0);
    }

    /// <summary>The most valuable entries first (highest score): what `cache show` lists.</summary>
    public async Task<IReadOnlyList<CacheEntry>> TopEntriesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            SELECT rtrim(query_id), class, table_size(tablename, schema)::bigint,
                   cache_score(cache_score_multiplier, compute_time, greatest(table_size(tablename, schema), 0.00001))::float8,
                   access_count, created, last_accessed, compute_time::float8
            FROM cache.cached WHERE class NOT IN ('Table', 'GeoTable')
            ORDER BY 4 DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    /// <summary>FlowKit's get_size_of_cache: bytes of every cached table except Table/GeoTable references.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT coalesce(sum(table_size(tablename, schema)), 0)::bigint FROM cache.cached WHERE class NOT IN ('Table', 'GeoTable')");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <summary>cache_max_size(): the size the janitor keeps the cache below.</summary>
    public async Task<long> LimitAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT cache_max_size()::bigint");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <summary>FlowKit's shrink candidates: entries older than the protected period (cache_protected_period()
    /// unless given; negative switches protection off), lowest score first.</summary>
    public async Task<IReadOnlyList<CacheEntry>> ShrinkCandidatesAsync(TimeSpan? protectedPeriod, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            SELECT rtrim(query_id), class, table_size(tablename, schema)::bigint,
                   cache_score(cache_score_multiplier, compute_time, greatest(table_size(tablename, schema), 0.00001))::float8,
                   access_count, created, last_accessed, compute_time::float8
            FROM cache.cached
            WHERE class NOT IN ('Table', 'GeoTable')
              AND (NOW() - created) > make_interval(secs => coalesce(@protected, cache_protected_period()::float8))
            ORDER BY 4 ASC
            """);
        command.Parameters.AddWithValue("protected", NpgsqlTypes.NpgsqlDbType.Double,
            protectedPeriod is { } p ? (object)p.TotalSeconds : DBNull.Value);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<CacheEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<CacheEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new CacheEntry(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
                reader.IsDBNull(3) ? 0 : reader.GetDouble(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? 0 : reader.GetDouble(7)));
        }
        return result;
    }

    private static async Task<bool> IsStoredAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string queryId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM cache.cached WHERE query_id = @id) AND to_regclass(@table) IS NOT NULL",
            connection, transaction);
        command.Parameters.AddWithValue("id", queryId);
        command.Parameters.AddWithValue("table", CacheTableName.Qualified(queryId));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken) ?? false);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
