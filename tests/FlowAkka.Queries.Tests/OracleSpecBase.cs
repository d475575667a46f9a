// Runs a query's SQL on the generated dataset and compares the full result with a hand-written oracle.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using Xunit;

namespace FlowAkka.Queries.Tests;

public abstract class OracleSpecBase(FlowDbFixture db)
{
    protected FlowDbFixture Db { get; } = db;

    /// <summary>Window condition on oracle.located / oracle.ev, days [from, to).</summary>
    protected static string Window(string from = "2016-01-01", string to = "2016-01-03", string alias = "") =>
        $"{alias}datetime >= '{from}'::timestamptz AND {alias}datetime < '{to}'::timestamptz";

    protected static Query Parse(JsonObject spec, QueryGroup? group = null)
    {
        var result = group is null ? QueryCatalog.Parse(spec) : QueryCatalog.ParseIn(spec, group);
        Assert.True(result.Query is not null, result.ValidationErrors?.ToJsonString());
        return result.Query!;
    }

    protected async Task<IReadOnlyList<string>> AssertMatchesOracle(Query query, string oracleSql, bool expectRows = true)
    {
        var actual = await Db.RunAsync(query.BuildSql(InlineSqlSource.Instance));
        var expected = await Db.RunAsync(oracleSql);
        Assert.Equal(query.Columns, actual.Columns);
        if (expectRows)
        {
            Assert.NotEmpty(expected.Rows);
        }

        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        Assert.Equal(expected.Rows, actual.Rows);
        return actual.Rows;
    }

    protected Task<IReadOnlyList<string>> AssertMatchesOracle(JsonObject spec, string oracleSql, bool expectRows = true) =>
        AssertMatchesOracle(Parse(spec), oracleSql, expectRows);

    /// <summary>Oracle daily location ("last") per subscriber for one day at admin column <paramref name="a"/>.</summary>
    protected static string OracleDailyLast(string day, string next, string a) => $"""
        SELECT msisdn AS subscriber, {a} AS pcod FROM (
          SELECT msisdn, {a}, row_number() OVER (PARTITION BY msisdn ORDER BY datetime DESC, {a}) AS rn
          FROM oracle.located WHERE {Window(day, next)} AND {a} IS NOT NULL) x WHERE rn = 1
        """;
}
