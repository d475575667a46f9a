// A throw-away FlowDB (schema, cache schema, a small synthetic dataset) cloned from template_postgis per test class,
// with an event trigger that logs every committed CREATE TABLE AS, so "exactly one execution" is counted in PostgreSQL.
using FlowAkka.FlowDb.Schema;
using FlowAkka.FlowDb.Synthetic;
using Npgsql;
using Xunit;

namespace FlowAkka.Testing;

public sealed class FlowDbTestDatabase : IAsyncLifetime
{
    public static readonly DatagenOptions SmallDataset = new()
    {
        NSubscribers = 600, NCells = 60, NSites = 40, NTacs = 50, NCalls = 4000, NSms = 1000, NMds = 500, NTopups = 200,
        NDays = 3, StartDate = new DateOnly(2016, 1, 1),
    };

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString => TestEnvironment.PostgresConnectionString(Name);

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name} TEMPLATE template_postgis", admin);
            await create.ExecuteNonQueryAsync();
        }
        DataSource = NpgsqlDataSource.Create(TestEnvironment.PostgresConnectionString(Name));
        await FlowDbSchema.EnsureAsync(DataSource);
        await CacheSchema.EnsureAsync(DataSource);
        await new SyntheticDataGenerator().GenerateAsync(DataSource, SmallDataset, null, CancellationToken.None);
        await ExecuteAsync("""
            CREATE TABLE public.ddl_log (id serial PRIMARY KEY, tag text, object text, started timestamptz,
                                         logged timestamptz DEFAULT clock_timestamp());
            CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
                INSERT INTO public.ddl_log (tag, object, started) VALUES (r.command_tag, r.object_identity, statement_timestamp());
              END LOOP;
            END $$;
            CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE AS') EXECUTE FUNCTION public.log_ddl();
            """);
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many CREATE TABLE AS committed for cache.x&lt;id&gt;.</summary>
    public Task<long> CreateCountAsync(string queryId) =>
        ScalarAsync<long>("SELECT count(*) FROM public.ddl_log WHERE object = @o", ("o", $"cache.x{queryId}"));

    /// <summary>Cache tables created more than once (must stay empty).</summary>
    public async Task<IReadOnlyList<string>> DuplicateCreatesAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT object || ' x' || count(*) FROM public.ddl_log GROUP BY object HAVING count(*) > 1 ORDER BY 1");
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }

    /// <summary>Backends of the nodes currently running (or waiting to run) the CREATE TABLE of a query.</summary>
    public Task<long> WaitingWorkersAsync(string queryId) =>
        ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @app " +
                          "AND wait_event_type = 'Lock'", ("app", "flowakka:" + queryId));

    /// <summary>What every connection to this database is doing (for failure messages).</summary>
    public async Task<string> ActivityAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT coalesce(application_name, '') || ' | ' || coalesce(state, '') || ' | ' || coalesce(wait_event_type, '') || ':' || " +
            "coalesce(wait_event, '') || ' | ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 120) " +
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY 1");
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Waits until a worker of some node waits on the held lock of each query.</summary>
    public async Task WaitForLockedWorkersAsync(IEnumerable<string> queryIds, TimeSpan timeout)
    {
        foreach (var id in queryIds)
        {
            try
            {
                await TestEnvironment.EventuallyAsync(async () => await WaitingWorkersAsync(id) == 1, timeout, $"{id} waiting on its lock");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}{Environment.NewLine}pg_stat_activity:{Environment.NewLine}{await ActivityAsync()}", e);
            }
        }
    }

    /// <summary>pg_terminate_backend on the node connections of this database (what a PostgreSQL restart does to them).</summary>
    public Task<long> TerminateNodeBackendsAsync(string applicationNamePattern = "flowakka%") =>
        ScalarAsync<long>("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() " +
                          "AND application_name LIKE @app AND pid <> pg_backend_pid()", ("app", applicationNamePattern));

    /// <summary>Holds the advisory lock a worker takes before its CREATE TABLE, so the query stays executing.</summary>
    public async Task<QueryLock> HoldQueryLockAsync(IEnumerable<string> queryIds)
    {
        var connection = await DataSource.OpenConnectionAsync();
        foreach (var id in queryIds)
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('flowakka-cache'), hashtext(@id))", connection);
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync();
        }
        return new QueryLock(connection);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.PostgresConnectionString("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>Session-level advisory locks on one connection; releasing closes it (idempotent).</summary>
public sealed class QueryLock(NpgsqlConnection connection) : IAsyncDisposable
{
    private int _released;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection))
            await unlock.ExecuteNonQueryAsync();
        await connection.DisposeAsync();
    }
}
