// A throw-away FlowDB (schema, cache schema, a small synthetic dataset) cloned from template_postgis per test class.
using FlowAkka.FlowDb.Schema;
using FlowAkka.FlowDb.Synthetic;
using Npgsql;
using Xunit;

namespace FlowAkka.Cluster.Tests.Support;

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
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await FlowDbSchema.EnsureAsync(DataSource);
        await CacheSchema.EnsureAsync(DataSource);
        await new SyntheticDataGenerator().GenerateAsync(DataSource, SmallDataset, null, CancellationToken.None);
        // Counts committed CREATE TABLE AS statements per table: "exactly one execution" is checked in PostgreSQL itself.
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

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
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
