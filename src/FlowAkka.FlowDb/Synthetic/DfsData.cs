// Synthetic mobile-money (DFS) data, generated inside PostgreSQL: transaction types, DFS subscribers (the
// subscribers seen in events.calls), and per day NTopups transactions, each routed through two cells (a- and b-party).
using FlowAkka.FlowDb.Schema;
using Npgsql;

namespace FlowAkka.FlowDb.Synthetic;

public static class DfsData
{
    /// <summary>Creates the dfs tables (Schema/070_dfs.sql) and re-applies the grants so both roles see them.</summary>
    public static Task EnsureSchemaAsync(NpgsqlDataSource db, CancellationToken ct) =>
        SchemaScripts.ApplyAsync(db, ["070_dfs", "090_grants"], ct);

    /// <summary>
    /// Replaces the dfs data with a deterministic set for the options' days: NTopups transactions a day (at least
    /// one), amounts 1..5000 with fee, commission and discount shares; needs cells and events.calls to be loaded.
    /// </summary>
    public static async Task GenerateAsync(NpgsqlDataSource db, DatagenOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        await EnsureSchemaAsync(db, ct).ConfigureAwait(false);
        var perDay = Math.Max(1, options.NTopups);
        var u = (int stream, string key) => SqlRandom.U("@seed", stream, key);
        string[] statements =
        [
            "TRUNCATE dfs.transactions_metadata, dfs.transactions, dfs.subscribers, dfs.transaction_types RESTART IDENTITY",
            """
            INSERT INTO dfs.transaction_types (descr, user_type_a_party, user_type_b_party) VALUES
                ('cash in', 'agent', 'customer'), ('cash out', 'customer', 'agent'),
                ('person to person', 'customer', 'customer'), ('bill payment', 'customer', 'merchant')
            """,
            "INSERT INTO dfs.subscribers (msisdn) SELECT DISTINCT msisdn FROM events.calls ORDER BY msisdn",
            "CREATE TEMP TABLE dfs_cells AS SELECT row_number() OVER (ORDER BY id, version) AS k, id, version FROM infrastructure.cells",
            $"""
            INSERT INTO dfs.transactions (id, amount, discount, fee, commission, timestamp)
            SELECT n, round((1 + 4999 * {u(70, "n")})::numeric, 2),
                   CASE WHEN {u(71, "n")} < 0.2 THEN round((10 * {u(72, "n")})::numeric, 2) ELSE 0 END,
                   round((0.5 + 20 * {u(73, "n")})::numeric, 2), round((5 * {u(74, "n")})::numeric, 2),
                   @start::timestamptz + ((n - 1) / @perDay) * interval '1 day' + {u(75, "n")} * interval '1 day'
            FROM generate_series(1::bigint, @total) AS n
            """,
            "SELECT setval(pg_get_serial_sequence('dfs.transactions', 'id'), greatest(1, (SELECT max(id) FROM dfs.transactions)))",
            $"""
            INSERT INTO dfs.transactions_metadata (transaction_id, subscriber_id, cell_id, cell_version, is_outgoing)
            SELECT t.id, {SqlRandom.Pick("@seed", 76, "t.id * 2 + p.a", "(SELECT count(*) FROM dfs.subscribers)")},
                   c.id, c.version, p.a = 0
            FROM dfs.transactions t CROSS JOIN (VALUES (0), (1)) AS p(a)
            JOIN dfs_cells c ON c.k = {SqlRandom.Pick("@seed", 77, "t.id * 2 + p.a", "(SELECT count(*) FROM dfs_cells)")}
            """,
            "DROP TABLE dfs_cells",
            "ANALYZE dfs.transactions; ANALYZE dfs.transactions_metadata",
        ];
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.AddWithValue("seed", options.CallsSeed + 7);
            cmd.Parameters.AddWithValue("start", options.StartDate.ToDateTime(TimeOnly.MinValue));
            cmd.Parameters.AddWithValue("perDay", (long)perDay);
            cmd.Parameters.AddWithValue("total", (long)perDay * options.NDays);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
