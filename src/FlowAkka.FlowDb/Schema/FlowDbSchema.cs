using System.Globalization;
using Npgsql;

namespace FlowAkka.FlowDb.Schema;

/// <summary>FlowDB's schemas and tables (FlowKit names): events, infrastructure, geography, etl, cache, dfs.</summary>
public static class FlowDbSchema
{
    /// <summary>Event tables that are partitioned by day.</summary>
    public static IReadOnlyList<string> EventTables { get; } = ["calls", "sms", "mds", "topups"];

    /// <summary>Creates every FlowDB schema, table, index, cache function and grant if missing. Idempotent.</summary>
    public static Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct = default) =>
        SchemaScripts.ApplyAsync(db, SchemaScripts.FlowDb, ct);

    /// <summary>Name of the child table holding one day of an event table, e.g. <c>calls_20160101</c>.</summary>
    public static string DayPartitionName(string table, DateOnly date)
    {
        ValidateEventTable(table);
        return $"{table}_{date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Creates <c>events.&lt;table&gt;_YYYYMMDD</c> as the partition for [date, date + 1 day) if it does not exist.
    /// It inherits the parent's indexes. <paramref name="table"/> must be one of <see cref="EventTables"/>.
    /// </summary>
    public static async Task EnsureDayPartitionsAsync(NpgsqlDataSource db, string table, DateOnly date, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", conn, tx))
        {
            lockCmd.Parameters.AddWithValue(SchemaScripts.AdvisoryLockKey);
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using (var cmd = new NpgsqlCommand(DayPartitionDdl(table, date), conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Creates the day partitions of <paramref name="table"/> for <paramref name="days"/> days from <paramref name="first"/>.</summary>
    public static async Task EnsureDayPartitionsAsync(NpgsqlDataSource db, string table, DateOnly first, int days, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        for (var i = 0; i < days; i++)
        {
            await EnsureDayPartitionsAsync(db, table, first.AddDays(i), ct).ConfigureAwait(false);
        }
    }

    // Identifiers come only from the whitelist and a formatted date; the bounds are formatted literals of that date,
    // pinned to UTC so day boundaries do not depend on the session time zone.
    internal static string DayPartitionDdl(string table, DateOnly date)
    {
        var name = DayPartitionName(table, date);
        var from = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = date.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"CREATE TABLE IF NOT EXISTS events.{name} PARTITION OF events.{table} FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')";
    }

    internal static void ValidateEventTable(string table)
    {
        if (!EventTables.Contains(table, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"'{table}' is not a partitioned event table; expected one of {string.Join(", ", EventTables)}.", nameof(table));
        }
    }
}
