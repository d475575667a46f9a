using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class HostileInputSpecs
{
    public static TheoryData<string> Payloads() => new()
    {
        "x'; DROP TABLE events.calls; --",
        "admin3'--",
        "a\"b",
        "a;b",
        "a -- b",
        "a /* b */",
        "2016-01-01'; SELECT pg_sleep(10); --",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Hostile_strings_in_any_string_field_are_validation_errors(string payload)
    {
        var fields = new[] { "date", "method", "aggregation_unit", "subscriber_subset" };
        foreach (var field in fields)
        {
            var daily = SampleSpecs.DailyLocation();
            daily[field] = payload;
            var result = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(daily));
            Assert.Null(result.Query);
            Assert.NotNull(result.ValidationErrors!["locations"]![field]);
        }

        var dummy = SampleSpecs.Parse("""{"query_kind":"dummy_query","aggregation_unit":"admin3"}""");
        dummy["dummy_param"] = payload;
        Assert.NotNull(QueryCatalog.Parse(dummy).ValidationErrors!["dummy_param"]);

        var kind = SampleSpecs.Parse("{}");
        kind["query_kind"] = payload;
        Assert.NotNull(QueryCatalog.Parse(kind).ValidationErrors!["query_kind"]);

        var types = SampleSpecs.DailyLocation();
        types["event_types"] = new JsonArray(payload);
        Assert.NotNull(QueryCatalog.Parse(SampleSpecs.SpatialAggregate(types)).ValidationErrors!["locations"]!["event_types"]);
    }

    [Fact]
    public void Hostile_text_in_free_strings_gets_the_hostile_message()
    {
        var dummy = SampleSpecs.Parse("""{"query_kind":"dummy_query","aggregation_unit":"admin3","dummy_param":"a';--"}""");
        Assert.Equal("""{"dummy_param":["Must not contain quotes, semicolons or SQL comment markers."]}""",
            QueryCatalog.Parse(dummy).ValidationErrors!.ToJsonString());
    }

    [Fact]
    public void Sql_carries_library_formatted_literals_only()
    {
        var daily = SampleSpecs.DailyLocation("2016-01-01T00:00:00+01:00");
        var sql = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(daily)).Query!.BuildSql(InlineSqlSource.Instance);
        Assert.Contains("'2015-12-31 23:00:00'::timestamptz", sql);
        Assert.DoesNotContain("+01:00", sql);
        Assert.DoesNotContain(";", sql);
    }
}
