// FlowKit's redaction of small counts (ADR 0011): rows counting 15 or fewer subscribers are dropped.
namespace FlowAkka.Queries.Sql;

public static class Redaction
{
    public const int Threshold = 15;

    /// <summary>Keeps rows whose <paramref name="column"/> is greater than 15.</summary>
    public static string KeepAboveThreshold(string sql, string column = "value") =>
        $"SELECT * FROM ({sql}) unredacted WHERE unredacted.{column} > {Threshold}";

    /// <summary>True when a count would be kept.</summary>
    public static bool IsKept(long count) => count > Threshold;
}
