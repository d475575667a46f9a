// A throw-away FlowDB cloned from template_postgis (schema, cache schema, optional synthetic data) with a DDL log
// that lets PostgreSQL itself count executions and time when statements started and finished.
using FlowAkka.FlowDb.Schema;
using FlowAkka.FlowDb.Synthetic;
using Npgsql;

namespace FlowAkka.Benchmarks.Support;

public sealed class BenchDatabase : IAsyncDisposable
{
    /// <summary>A few thousand rows: queries over it take milliseconds, so what is timed is FlowAkka, not SQL.</summary>
    public static readonly DatagenOptions SmallDataset = new()
    {
        NSubscribers = 600, NCells = 60, NSites = 40, NTacs = 50, NCalls = 4000, NSms = 1000, NMds = 500, NTopups = 200,
        NDays = 3, StartDate = new DateOnly(2016, 1, 1), QaChecks = false,
    };

    private readonly string _adminConnectionString;

    private BenchDatabase(string name, string adminConnectionString, string connectionString)
    {
        Name = name;
        _adminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }

    /// <summary>As the postgres superuser (the event trigger needs it; nodes connect the same way).</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public DatagenOptions? Dataset { get; private set; }

    public TimeSpan LoadTime { get; private set; }

    public static async Task<BenchDatabase> CreateAsync(BenchmarkContext context, string purpose, DatagenOptions? data,
        CancellationToken cancellationToken)
    {
        var name = $"bench_{purpose}_{Guid.NewGuid():N}"[..40];
        await using (var admin = new NpgsqlConnection(context.FlowDbAdminConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template_postgis", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var builder = new NpgsqlConnectionStringBuilder(context.FlowDbAdminConnectionString)
        {
            Database = name, MaxPoolSize = 40, Timezone = "UTC", IncludeErrorDetail = true,
        };
        var db = new BenchDatabase(name, context.FlowDbAdminConnectionString, builder.ConnectionString);
        try
        {
            await FlowDbSchema.EnsureAsync(db.DataSource, cancellationToken);
            await CacheSchema.EnsureAsync(db.DataSource, cancellationToken);
            if (data is not null)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await new SyntheticDataGenerator().GenerateAsync(db.DataSource, data, null, cancellationToken);
                await db.ExecuteAsync("ANALYZE");
                db.LoadTime = clock.Elapsed;
                db.Dataset = data;
            }
            await db.ExecuteAsync("""
                CREATE TABLE public.ddl_log (id bigserial PRIMARY KEY, tag text, object text, tx bigint,
                                             started timestamptz, logged timestamptz DEFAULT clock_timestamp());
                CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
                DECLARE r record;
                BEGIN
                  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
                    INSERT INTO public.ddl_log (tag, object, tx, started)
                    VALUES (r.command_tag, r.object_identity, txid_current(), statement_timestamp());
                  END LOOP;
                END $$;
                CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE AS', 'CREATE INDEX')
                  EXECUTE FUNCTION public.log_ddl();
                """);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        return db;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Committed CREATE TABLE AS statements for cache.x&lt;id&gt; (rolled-back ones leave no row).</summary>
    public Task<long> ExecutionsAsync(string queryId, long afterLogId = 0) =>
        ScalarAsync<long>("SELECT count(*) FROM public.ddl_log WHERE tag = 'CREATE TABLE AS' AND object = @o AND id > @after",
            ("o", $"cache.x{queryId}"), ("after", afterLogId));

    public Task<long> LastLogIdAsync() => ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM public.ddl_log");

    /// <summary>Empties the cache (tables and rows) so the next benchmark on a shared dataset starts cold.</summary>
    public Task ClearCacheAsync() => ExecuteAsync("""
        DO $$ DECLARE t text;
        BEGIN
          FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'cache' AND tablename ~ '^x[0-9a-f]{32}$' LOOP
            EXECUTE format('DROP TABLE IF EXISTS cache.%I CASCADE', t);
          END LOOP;
          DELETE FROM cache.cached WHERE class NOT IN ('Table', 'GeoTable');
        END $$;
        """);

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The generated dataset is the slow part (~40 s by default): created once, on first use, for every
/// benchmark of the process that needs data, and dropped when the process ends its run.</summary>
public static class SharedDataset
{
    private static Task<BenchDatabase>? _database;
    private static readonly Lock Gate = new();

    /// <summary>Quick: FlowKit's default size (4000 subscribers, 200 000 calls a day, 7 days). Full: 10 million calls.</summary>
    public static DatagenOptions OptionsFor(bool quick) => quick
        ? new DatagenOptions { QaChecks = false }
        : new DatagenOptions { NCalls = 10_000_000 / 7 + 1, QaChecks = false };

    public static Task<BenchDatabase> GetAsync(BenchmarkContext context)
    {
        lock (Gate)
        {
            return _database ??= Create(context);
        }

        static async Task<BenchDatabase> Create(BenchmarkContext context)
        {
            Console.Error.WriteLine("   generating the shared dataset (once per run)...");
            var db = await BenchDatabase.CreateAsync(context, "data", OptionsFor(context.Quick), CancellationToken.None);
            Console.Error.WriteLine($"   dataset loaded in {db.LoadTime.TotalSeconds:0.0} s");
            return db;
        }
    }

    public static async Task DisposeAsync()
    {
        Task<BenchDatabase>? database;
        lock (Gate)
        {
            database = _database;
            _database = null;
        }
        if (database is null) return;
        try
        {
            await (await database).DisposeAsync();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"could not drop the shared dataset: {e.Message}");
        }
    }
}
