// One throw-away FlowDB (from template_postgis) filled once with a small synthetic dataset for all oracle specs,
// plus the oracle's own hand-written helper tables (schema "oracle").
using System.Globalization;
using FlowAkka.FlowDb.Synthetic;
using Npgsql;
using Xunit;

namespace FlowAkka.Queries.Tests;

public sealed class FlowDbFixture : IAsyncLifetime
{
    public static readonly DatagenOptions Options = new()
    {
        NSubscribers = 500,
        NCells = 90,
        NSites = 60,
        NTacs = 60,
        NCalls = 3000,
        NSms = 1500,
        NMds = 600,
        NTopups = 400,
        NDays = 3,
        QaChecks = false,
    };

    private readonly string _database = "test_queries_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlDataSource? _db;

    public NpgsqlDataSource Db => _db ?? throw new InvalidOperationException("Fixture not initialised.");

    private static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Environment.GetEnvironmentVariable("FLOWDB_HOST") ?? "127.0.0.1",
        Port = int.Parse(Environment.GetEnvironmentVariable("FLOWDB_PORT") ?? "9000", CultureInfo.InvariantCulture),
        Username = "postgres",
        Database = database,
        Pooling = true,
        MaxPoolSize = 4,
        CommandTimeout = 300,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database} TEMPLATE template_postgis", admin);
            await create.ExecuteNonQueryAsync();
        }

        _db = NpgsqlDataSource.Create(ConnectionString(_database));
        await new SyntheticDataGenerator().GenerateAsync(_db, Options, null, CancellationToken.None);
        await DfsData.GenerateAsync(_db, Options, CancellationToken.None);
        await using var conn = await _db.OpenConnectionAsync();
        await using var oracle = new NpgsqlCommand(OracleTables, conn);
        await oracle.ExecuteNonQueryAsync();
    }

    // Written independently of the library: every event with its cell version's admin codes and coordinates.
    private const string OracleTables = """
        CREATE SCHEMA oracle;
        CREATE TABLE oracle.ev AS
            SELECT 'calls'::text AS t, id, msisdn, datetime, location_id, outgoing, msisdn_counterpart, tac FROM events.calls
            UNION ALL SELECT 'sms', id, msisdn, datetime, location_id, outgoing, msisdn_counterpart, tac FROM events.sms
            UNION ALL SELECT 'mds', id, msisdn, datetime, location_id, NULL::boolean, NULL::text, tac FROM events.mds
            UNION ALL SELECT 'topups', id, msisdn, datetime, location_id, NULL::boolean, NULL::text, tac FROM events.topups;
        CREATE TABLE oracle.cell_at AS
            SELECT c.id, c.date_of_first_service AS first_day, c.date_of_last_service AS last_day, c.geom_point,
                   (SELECT g.admin0pcod FROM geography.admin0 g WHERE ST_Covers(g.geom, c.geom_point)) AS a0,
                   (SELECT g.admin1pcod FROM geography.admin1 g WHERE ST_Covers(g.geom, c.geom_point)) AS a1,
                   (SELECT g.admin2pcod FROM geography.admin2 g WHERE ST_Covers(g.geom, c.geom_point)) AS a2,
                   (SELECT g.admin3pcod FROM geography.admin3 g WHERE ST_Covers(g.geom, c.geom_point)) AS a3,
                   ST_X(c.geom_point) AS lon, ST_Y(c.geom_point) AS lat
            FROM infrastructure.cells c;
        CREATE TABLE oracle.located AS
            SELECT e.*, c.geom_point, c.a0, c.a1, c.a2, c.a3, c.lon, c.lat
            FROM oracle.ev e JOIN oracle.cell_at c ON c.id = e.location_id
             AND (c.first_day IS NULL OR c.first_day <= e.datetime::date)
             AND (c.last_day IS NULL OR e.datetime::date <= c.last_day);
        ANALYZE oracle.ev; ANALYZE oracle.located;
        """;

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Column names and rows (each row as text, numbers rounded to 6 places), rows sorted.</summary>
    public async Task<(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows)> RunAsync(string sql)
    {
        await using var conn = await Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Cell(reader.GetValue(i)))));
        }

        rows.Sort(StringComparer.Ordinal);
        return (columns, rows);
    }

    private static string Cell(object value) => value switch
    {
        DBNull => "NULL",
        double d => Math.Round(d, 6).ToString("0.######", CultureInfo.InvariantCulture),
        float f => Math.Round(f, 6).ToString("0.######", CultureInfo.InvariantCulture),
        decimal m => Math.Round((double)m, 6).ToString("0.######", CultureInfo.InvariantCulture),
        long or int or short => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

[CollectionDefinition(Name)]
public sealed class FlowDbCollection : ICollectionFixture<FlowDbFixture>
{
    public const string Name = "flowdb";
}
