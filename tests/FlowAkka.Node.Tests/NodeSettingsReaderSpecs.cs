using FlowAkka.Node.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FlowAkka.Node.Tests;

public sealed class NodeSettingsReaderSpecs : IDisposable
{
    private readonly string _secrets = Directory.CreateTempSubdirectory("flowakka-secrets-").FullName;

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    private NodeSettings Read(Dictionary<string, string> env) =>
        NodeSettingsReader.Read(new EnvironmentSource(name => env.GetValueOrDefault(name), _secrets));

    private static Dictionary<string, string> Minimal() => new() { ["FLOWMACHINE_FLOWDB_PASSWORD"] = "pw" };

    [Fact]
    public void Defaults_are_flowkits()
    {
        var s = Read(Minimal());
        Assert.Equal(5555, s.FlowMachinePort);
        Assert.Equal("localhost", s.FlowDbHost);
        Assert.Equal(9000, s.FlowDbPort);
        Assert.Equal("flowmachine", s.FlowDbUser);
        Assert.Equal("localhost", s.RedisHost);
        Assert.Equal(6379, s.RedisPort);
        Assert.Null(s.RedisPassword);
        Assert.Equal(5, s.DbConnectionPoolSize);
        Assert.False(s.DisableDependencyCaching);
        Assert.Equal(9110, s.PbmPort);
        Assert.Equal(4053, s.Cluster.RemotePort);
        Assert.Empty(s.Cluster.SeedNodes);
        Assert.Equal(LogFormat.Plain, s.LogFormat);
        Assert.Equal(LogLevel.Information, s.LogLevel);
    }

    [Fact]
    public void Environment_variables_are_read()
    {
        var env = Minimal();
        env["FLOWMACHINE_PORT"] = "6000";
        env["FLOWDB_HOST"] = "db";
        env["REDIS_PASSWORD"] = "secret";
        env["DB_CONNECTION_POOL_SIZE"] = "12";
        env["FLOWMACHINE_SERVER_DISABLE_DEPENDENCY_CACHING"] = "TRUE";
        env["FLOWMACHINE_LOG_LEVEL"] = "debug";
        env["FLOWAKKA_LOG_FORMAT"] = "json";
        env["FLOWAKKA_SEED_NODES"] = "akka.tcp://flowakka@10.0.0.1:4053, akka.tcp://flowakka@10.0.0.2:4053";
        env["FLOWAKKA_HOSTNAME"] = "0.0.0.0";
        env["FLOWAKKA_REMOTE_PORT"] = "0";
        var s = Read(env);
        Assert.Equal(6000, s.FlowMachinePort);
        Assert.Equal("db", s.FlowDbHost);
        Assert.Equal("secret", s.RedisPassword);
        Assert.Contains("password=secret", s.RedisConfiguration);
        Assert.Equal(12, s.DbConnectionPoolSize);
        Assert.True(s.DisableDependencyCaching);
        Assert.Equal(LogLevel.Debug, s.LogLevel);
        Assert.Equal(LogFormat.Json, s.LogFormat);
        Assert.Equal(["akka.tcp://flowakka@10.0.0.1:4053", "akka.tcp://flowakka@10.0.0.2:4053"], s.Cluster.SeedNodes);
        Assert.Equal("0.0.0.0", s.Cluster.Hostname);
        Assert.Equal(0, s.Cluster.RemotePort);
    }

    [Fact]
    public void Docker_secret_wins_over_the_environment_variable()
    {
        File.WriteAllText(Path.Combine(_secrets, "FLOWMACHINE_FLOWDB_PASSWORD"), "from-secret\n");
        File.WriteAllText(Path.Combine(_secrets, "REDIS_PASSWORD"), "redis-secret");
        var env = Minimal();
        env["REDIS_PASSWORD"] = "from-env";
        var s = Read(env);
        Assert.Equal("from-secret", s.FlowDbPassword);
        Assert.Equal("redis-secret", s.RedisPassword);
    }

    [Fact]
    public void A_password_with_connection_string_syntax_stays_a_password()
    {
        var env = Minimal();
        env["FLOWMACHINE_FLOWDB_PASSWORD"] = "p;Database=other;x=";
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Read(env).FlowDbConnectionString);
        Assert.Equal("p;Database=other;x=", builder.Password);
        Assert.Equal("flowdb", builder.Database);
    }

    [Fact]
    public void A_redis_password_the_configuration_string_cannot_carry_is_refused_without_echoing_it()
    {
        var env = Minimal();
        env["REDIS_PASSWORD"] = "sec,ret";
        var e = Assert.Throws<ConfigurationException>(() => Read(env));
        Assert.StartsWith("REDIS_PASSWORD:", e.Message);
        Assert.DoesNotContain("sec,ret", e.Message);
    }

    [Fact]
    public void Missing_required_password_names_the_variable()
    {
        var e = Assert.Throws<ConfigurationException>(() => Read(new Dictionary<string, string>()));
        Assert.Contains("FLOWMACHINE_FLOWDB_PASSWORD", e.Message);
    }

    [Theory]
    [InlineData("FLOWMACHINE_PORT", "abc")]
    [InlineData("FLOWMACHINE_PORT", "70000")]
    [InlineData("FLOWDB_PORT", "0")]
    [InlineData("REDIS_PORT", "-1")]
    [InlineData("DB_CONNECTION_POOL_SIZE", "0")]
    [InlineData("DB_CONNECTION_POOL_SIZE", "many")]
    [InlineData("FLOWMACHINE_SERVER_DISABLE_DEPENDENCY_CACHING", "maybe")]
    [InlineData("FLOWMACHINE_LOG_LEVEL", "loud")]
    [InlineData("FLOWAKKA_LOG_FORMAT", "xml")]
    [InlineData("FLOWAKKA_SEED_NODES", "not-an-address")]
    [InlineData("FLOWAKKA_CURVE_SECRET_KEY_FILE", "/nonexistent/key")]
    public void A_bad_value_stops_start_up_with_a_message_naming_the_variable(string name, string value)
    {
        var env = Minimal();
        env[name] = value;
        var e = Assert.Throws<ConfigurationException>(() => Read(env));
        Assert.StartsWith(name + ":", e.Message);
        Assert.Contains(value, e.Message);
    }
}
