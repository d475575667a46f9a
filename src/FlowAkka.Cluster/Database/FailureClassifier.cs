using Npgsql;

namespace FlowAkka.Cluster.Database;

/// <summary>Tells the environment's failures (worth a retry) from the query's own (an error for good).</summary>
public static class FailureClassifier
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        OperationCanceledException => true,
        // 57014 query_canceled (statement timeout, cancel request), 57P01-03 admin/crash shutdown, cannot connect now;
        // class 08 connection exceptions; 40001/40P01 serialization failure and deadlock.
        PostgresException pg => pg.SqlState is "57014" or "57P01" or "57P02" or "57P03" or "40001" or "40P01" or "53300"
                                || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.IO.IOException or System.Net.Sockets.SocketException,
        System.Net.Sockets.SocketException or System.IO.IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>FlowDB cannot be reached at all (refused or unreachable connections, "cannot connect now"), as
    /// opposed to one statement or one backend failing: a terminated backend (57P01) is a transient failure of that
    /// query, not a reason to fail everyone's work fast.</summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "57P03" or "08001" or "08004" or "08006",
        NpgsqlException npgsql => npgsql.InnerException is System.Net.Sockets.SocketException or TimeoutException,
        System.Net.Sockets.SocketException => true,
        _ => false,
    };
}
