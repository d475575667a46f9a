// Connection settings for FlowDB read from FlowKit's environment variable names, and the data source factory.
using Npgsql;

namespace FlowAkka.FlowDb;

/// <summary>Where and as whom to connect to FlowDB. The database is always <c>flowdb</c>, as in FlowKit.</summary>
public sealed record FlowDbSettings(string Host, int Port, string User, string Password, string Database = "flowdb")
{
    public const string DefaultHost = "localhost";
    public const int DefaultPort = 9000;
    public const string DefaultUser = "flowmachine";
    public const string ApplicationName = "flowakka";

    /// <summary>
    /// Reads FLOWDB_HOST, FLOWDB_PORT, FLOWMACHINE_FLOWDB_USER and FLOWMACHINE_FLOWDB_PASSWORD (each also from the
    /// Docker secret <c>/run/secrets/&lt;NAME&gt;</c> when that file exists and the variable is unset).
    /// </summary>
    public static FlowDbSettings FromEnvironment(Func<string, string?>? lookup = null)
    {
        lookup ??= ReadVariableOrSecret;
        var portText = lookup("FLOWDB_PORT");
        var port = DefaultPort;
        if (!string.IsNullOrWhiteSpace(portText)
            && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535))
        {
            throw new ArgumentException($"FLOWDB_PORT must be a TCP port number (1-65535), got '{portText}'.");
        }
        return new FlowDbSettings(
            NonEmpty(lookup("FLOWDB_HOST")) ?? DefaultHost,
            port,
            NonEmpty(lookup("FLOWMACHINE_FLOWDB_USER")) ?? DefaultUser,
            lookup("FLOWMACHINE_FLOWDB_PASSWORD") ?? DefaultUser);
    }

    /// <summary>The Npgsql connection string (application_name=flowakka). <paramref name="database"/> overrides flowdb, e.g. for tests.</summary>
    public string ToConnectionString(string? database = null) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = database ?? Database,
        ApplicationName = ApplicationName,
    }.ConnectionString;

    // Redacted so logging the settings never leaks the password.
    public override string ToString() => $"FlowDbSettings {{ Host = {Host}, Port = {Port}, User = {User}, Database = {Database} }}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? ReadVariableOrSecret(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (value is not null)
        {
            return value;
        }
        var secret = Path.Combine("/run/secrets", name);
        return File.Exists(secret) ? File.ReadAllText(secret).Trim() : null;
    }
}

/// <summary>Creates the pooled data source every FlowDB user in the process shares.</summary>
public static class FlowDbConnection
{
    public static NpgsqlDataSource CreateDataSource(string connectionString, int maxPoolSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = FlowDbSettings.ApplicationName;
        }
        if (builder.MinPoolSize > maxPoolSize)
        {
            builder.MinPoolSize = maxPoolSize;
        }
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    public static NpgsqlDataSource CreateDataSource(FlowDbSettings settings, int maxPoolSize) =>
        CreateDataSource((settings ?? throw new ArgumentNullException(nameof(settings))).ToConnectionString(), maxPoolSize);
}
