using Npgsql;
using Xunit;

namespace FlowAkka.FlowDb.Tests;

public sealed class FlowDbSettingsSpecs
{
    [Fact]
    public void Defaults_follow_flowkit()
    {
        var settings = FlowDbSettings.FromEnvironment(_ => null);

        Assert.Equal(new FlowDbSettings("localhost", 9000, "flowmachine", "flowmachine", "flowdb"), settings);
    }

    [Fact]
    public void Reads_the_flowkit_variables_and_names_the_application()
    {
        var env = new Dictionary<string, string>
        {
            ["FLOWDB_HOST"] = "db.example", ["FLOWDB_PORT"] = "5433",
            ["FLOWMACHINE_FLOWDB_USER"] = "fm", ["FLOWMACHINE_FLOWDB_PASSWORD"] = "secret",
        };

        var builder = new NpgsqlConnectionStringBuilder(FlowDbSettings.FromEnvironment(env.GetValueOrDefault).ToConnectionString());

        Assert.Equal(("db.example", 5433, "fm", "secret", "flowdb", "flowakka"),
                     (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.ApplicationName));
    }

    [Fact]
    public void A_bad_port_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => FlowDbSettings.FromEnvironment(n => n == "FLOWDB_PORT" ? "ninety" : null));

        Assert.Contains("FLOWDB_PORT", error.Message);
    }

    [Fact]
    public void The_password_never_shows_in_the_text_form()
    {
        Assert.DoesNotContain("secret", new FlowDbSettings("h", 1, "u", "secret").ToString());
    }

    [Fact]
    public async Task The_data_source_caps_the_pool_and_connects()
    {
        var settings = FlowDbSettings.FromEnvironment();
        await using var db = FlowDbConnection.CreateDataSource(settings.ToConnectionString("postgres"), 3);

        Assert.Equal(3, new NpgsqlConnectionStringBuilder(db.ConnectionString).MaxPoolSize);
        Assert.Equal("flowakka", await TestDatabase.ScalarAsync<string>(db, "SELECT current_setting('application_name')"));
    }
}
