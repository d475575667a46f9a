// Loads the embedded DDL scripts and applies them in one transaction under a cluster-wide advisory lock.
using System.Reflection;
using Npgsql;

namespace FlowAkka.FlowDb.Schema;

internal static class SchemaScripts
{
    /// <summary>Advisory lock key ("FlowAkka" in ASCII) serialising concurrent schema setup by several nodes.</summary>
    internal const long AdvisoryLockKey = 0x466C6F77416B6B61;

    internal static readonly string[] FlowDb =
        ["010_schemas", "020_events", "030_infrastructure", "040_geography", "050_etl", "060_cache", "070_dfs", "090_grants"];

    internal static readonly string[] Cache = ["060_cache", "090_grants"];

    internal static string Load(string name)
    {
        var resource = $"FlowAkka.FlowDb.Schema.{name}.sql";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema script {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static async Task ApplyAsync(NpgsqlDataSource db, IReadOnlyList<string> scripts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", conn, tx))
        {
            lockCmd.Parameters.AddWithValue(AdvisoryLockKey);
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        foreach (var name in scripts)
        {
            await using var cmd = new NpgsqlCommand(Load(name), conn, tx);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
