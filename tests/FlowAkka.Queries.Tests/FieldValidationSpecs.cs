using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class FieldValidationSpecs
{
    private static string Errors(JsonObject spec)
    {
        var result = QueryCatalog.Parse(spec);
        Assert.Null(result.Query);
        return result.ValidationErrors!.ToJsonString(Relaxed);
    }

    // Python's json.dumps leaves quotes unescaped; the relaxed encoder shows the texts the same way.
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject WithDaily(Action<JsonObject> change)
    {
        var daily = SampleSpecs.DailyLocation();
        change(daily);
        return SampleSpecs.SpatialAggregate(daily);
    }

    [Fact]
    public void Bad_date_is_not_a_valid_datetime()
    {
        Assert.Equal("""{"locations":{"date":["Not a valid datetime."]}}""",
            Errors(WithDaily(d => d["date"] = "3999-13-01")));
        Assert.Equal("""{"locations":{"date":["Not a valid datetime."]}}""",
            Errors(WithDaily(d => d["date"] = 20160101)));
    }

    [Fact]
    public void Bad_method_lists_the_methods()
    {
        Assert.Equal("""{"locations":{"method":["Must be one of: last, most-common."]}}""",
            Errors(WithDaily(d => d["method"] = "first")));
    }

    [Fact]
    public void Bad_aggregation_unit_lists_the_units()
    {
        Assert.Equal("""{"locations":{"aggregation_unit":["Must be one of: admin0, admin1, admin2, admin3, lon-lat."]}}""",
            Errors(WithDaily(d => d["aggregation_unit"] = "admin4")));
    }

    [Fact]
    public void Custom_geometry_tables_are_refused()
    {
        Assert.Contains("geom_table", Errors(WithDaily(d => d["geom_table"] = "my_geoms")));
    }

    [Fact]
    public void Bad_subscriber_subset_is_not_a_query_id()
    {
        Assert.Equal("""{"locations":{"subscriber_subset":["Must be None or a valid query id."]}}""",
            Errors(WithDaily(d => d["subscriber_subset"] = "all")));
        Assert.Equal("""{"locations":{"subscriber_subset":["Must be None or a valid query id."]}}""",
            Errors(WithDaily(d => d["subscriber_subset"] = new string('A', 32))));
    }

    [Fact]
    public void Unknown_and_missing_fields_use_marshmallows_texts()
    {
        Assert.Equal("""{"locations":{"method":["Missing data for required field."],"colour":["Unknown field."]}}""",
            Errors(WithDaily(d =>
            {
                d.Remove("method");
                d["colour"] = "red";
            })));
    }

    [Fact]
    public void Derived_aggregation_unit_cannot_be_given()
    {
        var spec = SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation());
        spec["aggregation_unit"] = "admin3";
        Assert.Equal("""{"aggregation_unit":["Unknown field."]}""", Errors(spec));
    }

    [Fact]
    public void Event_types_are_checked_item_by_item_and_must_not_be_empty()
    {
        Assert.Equal("""{"locations":{"event_types":{"1":["Must be one of: calls, sms, mds, topups."]}}}""",
            Errors(WithDaily(d => d["event_types"] = new JsonArray("calls", "emails"))));
        Assert.Equal("""{"locations":{"event_types":["Shorter than minimum length 1."]}}""",
            Errors(WithDaily(d => d["event_types"] = new JsonArray())));
        Assert.Equal("""{"locations":{"event_types":["Not a valid list."]}}""",
            Errors(WithDaily(d => d["event_types"] = "calls")));
    }

    [Fact]
    public void Hours_are_integers_from_0_to_24()
    {
        Assert.Equal("""{"locations":{"hours":{"start_hour":["Must be greater than or equal to 0 and less than or equal to 24."]}}}""",
            Errors(WithDaily(d => d["hours"] = SampleSpecs.Parse("""{"start_hour":25,"end_hour":3}"""))));
        Assert.Equal("""{"locations":{"hours":{"end_hour":["Missing data for required field."]}}}""",
            Errors(WithDaily(d => d["hours"] = SampleSpecs.Parse("""{"start_hour":2}"""))));
        Assert.Equal("""{"locations":{"hours":{"start_hour":["Not a valid integer."]}}}""",
            Errors(WithDaily(d => d["hours"] = SampleSpecs.Parse("""{"start_hour":2.5,"end_hour":3}"""))));
    }

    [Fact]
    public void Sampling_checks_method_seed_and_size_or_fraction()
    {
        Assert.Equal("""{"locations":{"sampling":{"sampling_method":["Must be one of: system, bernoulli, random_ids."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"coin","seed":1,"size":3}"""))));
        Assert.Equal("""{"locations":{"sampling":{"_schema":["Must provide exactly one of 'size' or 'fraction' for a random sample."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"system","seed":1,"size":3,"fraction":0.5}"""))));
        Assert.Equal("""{"locations":{"sampling":{"seed":["Must be greater than or equal to -1.0 and less than or equal to 1.0."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"random_ids","seed":5,"size":3}"""))));
        Assert.Equal("""{"locations":{"sampling":{"fraction":["Must be greater than 0.0 and less than 1.0."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"bernoulli","seed":5,"fraction":1.5}"""))));
        Assert.Equal("""{"locations":{"sampling":{"size":["Must be greater than or equal to 1."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"bernoulli","seed":5,"size":0}"""))));
        Assert.Equal("""{"locations":{"sampling":{"seed":["Missing data for required field."]}}}""",
            Errors(WithDaily(d => d["sampling"] = SampleSpecs.Parse("""{"sampling_method":"bernoulli","size":4}"""))));
    }

    [Fact]
    public void Nested_objects_must_be_objects()
    {
        Assert.Equal("""{"locations":{"_schema":["Invalid input type."]}}""",
            Errors(SampleSpecs.Parse("""{"query_kind":"spatial_aggregate","locations":"daily"}""")));
    }

    [Fact]
    public void Nested_kind_must_belong_to_its_group()
    {
        var spec = SampleSpecs.SpatialAggregate(SampleSpecs.Windowed("unique_locations"));
        Assert.Equal("""{"locations":{"query_kind":["Must be one of: daily_location, modal_location, most_frequent_location, visited_most_days, majority_location."]}}""",
            Errors(spec));
    }

    [Fact]
    public void Modal_location_inputs_must_share_a_unit()
    {
        var spec = SampleSpecs.ModalLocation();
        spec["locations"]![1] = SampleSpecs.DailyLocation("2016-01-02", unit: "admin1");
        Assert.Equal("""{"locations":{"locations":["All inputs to modal_location should have the same aggregation unit"]}}""",
            Errors(SampleSpecs.SpatialAggregate(spec)));
        var empty = SampleSpecs.Parse("""{"query_kind":"modal_location","locations":[]}""");
        Assert.Equal("""{"locations":{"locations":["Shorter than minimum length 1."]}}""", Errors(SampleSpecs.SpatialAggregate(empty)));
    }

    [Fact]
    public void Statistic_direction_interval_total_by_and_join_type_are_enums()
    {
        var tno = SampleSpecs.Windowed("total_network_objects");
        tno["total_by"] = "week";
        Assert.Equal("""{"total_by":["Must be one of: second, minute, hour, day, month, year."]}""", Errors(tno));

        var lec = SampleSpecs.Windowed("location_event_counts");
        Assert.Equal("""{"interval":["Missing data for required field."]}""", Errors(lec));
        lec["interval"] = "week";
        lec["direction"] = "sideways";
        Assert.Equal("""{"interval":["Must be one of: day, hour, min."],"direction":["Must be one of: in, out, both."]}""", Errors(lec));

        var anoSpec = SampleSpecs.Parse("""{"query_kind":"aggregate_network_objects","statistic":"mean","aggregate_by":"decade"}""");
        anoSpec["total_network_objects"] = SampleSpecs.Windowed("total_network_objects");
        Assert.Equal("""{"statistic":["Must be one of: avg, max, min, median, mode, stddev, variance, count, sum."],"aggregate_by":["Must be one of: second, minute, hour, day, month, year, century."]}""",
            Errors(anoSpec));

        var flows = SampleSpecs.Flows();
        flows["join_type"] = "cross";
        Assert.Equal("""{"join_type":["Must be one of: inner, full outer, left, right, left outer, right outer."]}""", Errors(flows));
    }

    [Fact]
    public void Joined_spatial_aggregate_method_depends_on_the_metric()
    {
        Assert.Equal("""{"method":["Must be one of: distr."]}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("handset", ""","characteristic":"brand","method":"last" """), "avg")));
        Assert.Equal("""{"method":["Must be one of: avg, max, min, median, mode, stddev, variance, count, sum."]}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("event_count"), "distr")));
    }

    [Fact]
    public void Histogram_bins_and_range_are_checked()
    {
        var spec = SampleSpecs.Parse("""{"query_kind":"histogram_aggregate","bins":{"n_bins":3,"bin_list":[1,2]}}""");
        spec["metric"] = SampleSpecs.Metric("event_count");
        Assert.Equal("""{"bins":{"_schema":["Only one of n_bins or bin_list may be provided."]}}""", Errors(spec));
        spec["bins"] = new JsonObject();
        Assert.Equal("""{"bins":{"_schema":["One of n_bins or bin_list must be provided."]}}""", Errors(spec));
        spec["bins"] = SampleSpecs.Parse("""{"n_bins":3}""");
        spec["range"] = SampleSpecs.Parse("""{"lower_bound":3,"upper_bound":1}""");
        Assert.Equal("""{"range":{"_schema":["lower_bound should be less than upper_bound"]}}""", Errors(spec));
    }

    [Fact]
    public void Units_of_paired_inputs_must_match()
    {
        var flows = SampleSpecs.Flows();
        flows["to_location"] = SampleSpecs.DailyLocation(unit: "admin1");
        Assert.Equal("""{"_schema":["'from_location' and 'to_location' parameters must have the same aggregation unit"]}""", Errors(flows));

        var active = SampleSpecs.ActiveAtReferenceLocationCounts();
        active["reference_locations"] = SampleSpecs.DailyLocation(unit: "admin1");
        Assert.Equal("""{"_schema":["'unique_locations' and 'reference_locations' parameters must have the same aggregation unit"]}""", Errors(active));
    }

    [Fact]
    public void Required_fields_and_nulls()
    {
        Assert.Equal("""{"aggregation_unit":["Missing data for required field."],"start_date":["Missing data for required field."],"end_date":["Missing data for required field."]}""",
            Errors(SampleSpecs.Parse("""{"query_kind":"unique_subscriber_counts"}""")));
        Assert.Equal("""{"method":["Field may not be null."]}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("event_count"), "avg").Also(s => s["method"] = null)));
        Assert.Equal("""{"dummy_param":["Not a valid string."]}""",
            Errors(SampleSpecs.Parse("""{"query_kind":"dummy_query","dummy_param":5,"aggregation_unit":"admin3"}""")));
    }

    [Fact]
    public void Numbers_and_ranges()
    {
        Assert.Equal("""{"metric":{"proportion":["Must be greater than or equal to 0.0 and less than or equal to 1.0."]}}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("pareto_interactions", ""","proportion":1.5"""), "avg")));
        Assert.Equal("""{"metric":{"proportion":["Not a valid number."]}}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("pareto_interactions", ""","proportion":"half" """), "avg")));
        Assert.Equal("""{"metric":{"night_hours":["Missing data for required field."]}}""",
            Errors(SampleSpecs.JoinedSpatialAggregate(SampleSpecs.Metric("nocturnal_events"), "avg")));
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
