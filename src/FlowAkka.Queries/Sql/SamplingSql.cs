// Deterministic random samples of subscribers: a seeded hash of the subscriber decides membership,
// so the same spec always selects the same subscribers (results are cacheable and testable).
using System.Globalization;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Sql;

public static class SamplingSql
{
    public static string HashExpression(Sampling sampling, string subscriberExpression)
    {
        var salt = ":" + sampling.Method + ":" + sampling.Seed.ToString("R", CultureInfo.InvariantCulture);
        return $"('x' || substr(md5({subscriberExpression} || {SqlLiteral.Text(salt)}), 1, 8))::bit(32)::bigint";
    }

    /// <summary>Keeps the rows of a sample of the subscribers of <paramref name="sql"/>.</summary>
    public static string Apply(string sql, Sampling? sampling)
    {
        if (sampling is null)
        {
            return sql;
        }

        var hash = HashExpression(sampling, "d.subscriber");
        var chosen = sampling.Size is { } size
            ? $"SELECT d.subscriber FROM (SELECT DISTINCT subscriber FROM unsampled) d ORDER BY {hash}, d.subscriber LIMIT {SqlLiteral.Integer(size)}"
            : $"SELECT d.subscriber FROM (SELECT DISTINCT subscriber FROM unsampled) d WHERE {hash}::float8 / 4294967296.0 < {SqlLiteral.Number(sampling.Fraction!.Value)}";
        return $"WITH unsampled AS ({sql}) SELECT unsampled.* FROM unsampled WHERE unsampled.subscriber IN ({chosen})";
    }
}
