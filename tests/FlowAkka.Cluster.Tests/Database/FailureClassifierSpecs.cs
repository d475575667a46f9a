using FlowAkka.Cluster.Database;
using Npgsql;
using Xunit;

namespace FlowAkka.Cluster.Tests.Database;

public sealed class FailureClassifierSpecs
{
    private static PostgresException Pg(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData("57014", true)]  // statement timeout or cancel request
    [InlineData("57P01", true)]  // backend terminated (restart, pg_terminate_backend)
    [InlineData("08006", true)]  // connection failure
    [InlineData("40P01", true)]  // deadlock
    [InlineData("42P01", false)] // undefined table: the SQL itself is wrong
    [InlineData("22012", false)] // division by zero
    [InlineData("23505", false)] // unique violation
    public void Transient_failures_are_the_environments_not_the_queries(string sqlState, bool transient) =>
        Assert.Equal(transient, FailureClassifier.IsTransient(Pg(sqlState)));

    [Fact]
    public void A_terminated_backend_is_not_an_unreachable_database_but_a_refused_connection_is()
    {
        Assert.False(FailureClassifier.IsUnreachable(Pg("57P01")));
        Assert.True(FailureClassifier.IsUnreachable(Pg("57P03")));
        Assert.True(FailureClassifier.IsUnreachable(new NpgsqlException("connect failed",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
        Assert.True(FailureClassifier.IsTransient(new OperationCanceledException()));
        Assert.False(FailureClassifier.IsTransient(new InvalidOperationException()));
    }
}
