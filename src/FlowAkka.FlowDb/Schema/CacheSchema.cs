using Npgsql;

namespace FlowAkka.FlowDb.Schema;

/// <summary>The flowmachine-compatible <c>cache</c> schema (tables, touch counter, config, scoring functions).</summary>
public static class CacheSchema
{
    /// <summary>Creates the cache schema if missing. Idempotent and safe when several nodes call it at once.</summary>
    public static Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct = default) =>
        SchemaScripts.ApplyAsync(db, SchemaScripts.Cache, ct);
}
