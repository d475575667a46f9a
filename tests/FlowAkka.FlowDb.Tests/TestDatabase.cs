// A throw-away PostgreSQL database per fixture, created from template_postgis and dropped afterwards.
using FlowAkka.FlowDb;
using Npgsql;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

public sealed class TestDatabase(string? owner = null) : IAsyncLifetime
{
    private static readonly FlowDbSettings Server = FlowDbSettings.FromEnvironment();

    // Creating and dropping databases needs the superuser (or a CREATEDB role); the FlowDB endpoint is shared.
    private static readonly string AdminUser = Environment.GetEnvironmentVariable("FLOWDB_SUPERUSER") ?? "postgres";
    private static readonly string AdminPassword = Environment.GetEnvironmentVariable("FLOWDB_SUPERUSER_PASSWORD") ?? "";

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Superuser data source on the test database.</summary>
    public NpgsqlDataSource Db { get; private set; } = null!;

    public string ConnectionString(string? user = null, string? password = null) =>
        (Server with { User = user ?? AdminUser, Password = password ?? AdminPassword }).ToConnectionString(Name);

    /// <summary>A data source on the test database as the given role (caller disposes it).</summary>
    public NpgsqlDataSource As(string user, string password) =>
        FlowDbConnection.CreateDataSource(ConnectionString(user, password), 4);

    public async Task InitializeAsync()
    {
        await using var admin = FlowDbConnection.CreateDataSource(
            (Server with { User = AdminUser, Password = AdminPassword }).ToConnectionString("postgres"), 1);
        // Name is generated above (letters, digits, underscore), never input.
        // Owner is a constant role name chosen by a test, never input.
        var ownedBy = owner is null ? "" : $" OWNER {owner}";
        await using (var cmd = admin.CreateCommand($"CREATE DATABASE {Name} TEMPLATE template_postgis{ownedBy}"))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        Db = FlowDbConnection.CreateDataSource(ConnectionString(), 8);
    }

    /// <summary>Drops the database; safe to call more than once or after a failed start.</summary>
    public async Task DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
            Db = null!;
        }
        await using var admin = FlowDbConnection.CreateDataSource(
            (Server with { User = AdminUser, Password = AdminPassword }).ToConnectionString("postgres"), 1);
        await using var cmd = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Creates the database and runs <paramref name="setup"/>; if setup fails the database is dropped before the
    /// error propagates (xUnit does not call DisposeAsync when InitializeAsync throws).
    /// </summary>
    public async Task InitializeAsync(Func<Task> setup)
    {
        await InitializeAsync();
        try
        {
            await setup();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args) => await ScalarAsync<T>(Db, sql, args);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        var value = await cmd.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
