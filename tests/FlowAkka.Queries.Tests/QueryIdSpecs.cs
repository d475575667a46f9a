using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class QueryIdSpecs
{
    private static string Id(JsonObject spec)
    {
        var result = QueryCatalog.Parse(spec);
        Assert.True(result.Query is not null, result.ValidationErrors?.ToJsonString());
        return result.Query!.QueryId;
    }

    private static string Id(string json) => Id(SampleSpecs.Parse(json));

    [Fact]
    public void Ids_are_32_lowercase_hex()
    {
        foreach (var spec in SampleSpecs.AllTopLevel().Skip(1))
        {
            Assert.Matches("^[0-9a-f]{32}$", Id(spec));
        }
    }

    [Fact]
    public void Reordered_keys_give_the_same_id_at_every_level()
    {
        var a = Id("""
            {"query_kind":"spatial_aggregate","locations":{"query_kind":"daily_location","date":"2016-01-01",
             "method":"last","aggregation_unit":"admin3","subscriber_subset":null}}
            """);
        var b = Id("""
            {"locations":{"subscriber_subset":null,"aggregation_unit":"admin3","method":"last","date":"2016-01-01",
             "query_kind":"daily_location"},"query_kind":"spatial_aggregate"}
            """);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Explicit_defaults_equal_omitted_ones()
    {
        Assert.Equal(
            Id("""{"query_kind":"total_network_objects","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"admin1"}"""),
            Id("""{"query_kind":"total_network_objects","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"admin1","total_by":"day","event_types":null,"hours":null,"subscriber_subset":null}"""));
    }

    [Fact]
    public void Event_types_are_a_set()
    {
        Assert.Equal(
            Id("""{"query_kind":"unique_subscriber_counts","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"admin1","event_types":["sms","calls"]}"""),
            Id("""{"query_kind":"unique_subscriber_counts","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"admin1","event_types":["calls","sms","calls"]}"""));
    }

    [Fact]
    public void Equivalent_date_spellings_give_the_same_id()
    {
        var ids = new[] { "2016-01-01", "2016-01-01T00:00:00", "2016-01-01 00:00:00", "2016-01-01T00:00" }
            .Select(d => Id(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation(d)))).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public void Modal_location_inputs_are_unordered()
    {
        var forward = SampleSpecs.ModalLocation();
        var backward = SampleSpecs.ModalLocation();
        var list = (JsonArray)backward["locations"]!;
        var items = list.Select(n => n!.DeepClone()).Reverse().ToList();
        list.Clear();
        items.ForEach(list.Add);
        Assert.Equal(Id(SampleSpecs.SpatialAggregate(forward)), Id(SampleSpecs.SpatialAggregate(backward)));
    }

    private static readonly string[] Variants =
    [
        """{"query_kind":"daily_location","date":"2016-01-02","method":"last","aggregation_unit":"admin3"}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"most-common","aggregation_unit":"admin3"}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin2"}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"lon-lat"}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","event_types":["calls"]}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","hours":{"start_hour":1,"end_hour":5}}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","subscriber_subset":"0123456789abcdef0123456789abcdef"}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","sampling":{"sampling_method":"bernoulli","seed":1,"fraction":0.5}}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","sampling":{"sampling_method":"bernoulli","seed":2,"fraction":0.5}}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","sampling":{"sampling_method":"system","seed":1,"fraction":0.5}}""",
        """{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3","sampling":{"sampling_method":"bernoulli","seed":1,"size":10}}""",
        """{"query_kind":"daily_location","date":"2016-01-01T01:00:00","method":"last","aggregation_unit":"admin3"}""",
    ];

    [Fact]
    public void Any_changed_parameter_changes_the_id()
    {
        var baseline = Id(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation()));
        var ids = Variants.Select(v => Id(SampleSpecs.SpatialAggregate(SampleSpecs.Parse(v)))).ToList();
        Assert.DoesNotContain(baseline, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Different_kinds_over_the_same_input_differ()
    {
        var ids = new[] { "flows", "inflows", "outflows" }.Select(k => Id(SampleSpecs.Flows(k))).Distinct();
        Assert.Equal(3, ids.Count());
    }

    [Fact]
    public void Canonical_json_is_sorted_and_compact()
    {
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation())).Query!;
        Assert.StartsWith("""{"locations":{"aggregation_unit":"admin3","date":"2016-01-01 00:00:00","event_types":null,""", q.CanonicalJson);
        Assert.EndsWith(""","query_kind":"spatial_aggregate"}""", q.CanonicalJson);
        Assert.DoesNotContain(" \"", q.CanonicalJson);
    }
}
