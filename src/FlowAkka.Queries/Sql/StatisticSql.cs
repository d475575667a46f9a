// Aggregate expressions for the statistic fields (avg, median, mode, ...), from a whitelist.
namespace FlowAkka.Queries.Sql;

public static class StatisticSql
{
    public static string Aggregate(string statistic, string expression) => statistic switch
    {
        "avg" => $"avg({expression})",
        "max" => $"max({expression})",
        "min" => $"min({expression})",
        "median" => $"percentile_cont(0.5) WITHIN GROUP (ORDER BY {expression})",
        "mode" => $"mode() WITHIN GROUP (ORDER BY {expression})",
        "stddev" => $"stddev_samp({expression})",
        "variance" => $"var_samp({expression})",
        "count" => $"count({expression})",
        "sum" => $"sum({expression})",
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Not a statistic."),
    };
}
