// Valid example specs of every kind, used across the specs (dates fall inside the generated 3-day dataset).
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Tests;

public static class SampleSpecs
{
    public static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    public static JsonObject DailyLocation(string date = "2016-01-01", string method = "last", string unit = "admin3") =>
        Parse($$"""{"query_kind":"daily_location","date":"{{date}}","method":"{{method}}","aggregation_unit":"{{unit}}","subscriber_subset":null}""");

    public static JsonObject Windowed(string kind, string unit = "admin2", string start = "2016-01-01", string end = "2016-01-03") =>
        Parse($$"""{"query_kind":"{{kind}}","start_date":"{{start}}","end_date":"{{end}}","aggregation_unit":"{{unit}}"}""");

    public static JsonObject Metric(string kind, string extra = "") =>
        Parse($$"""{"query_kind":"{{kind}}","start_date":"2016-01-01","end_date":"2016-01-03"{{extra}}}""");

    public static JsonObject ModalLocation(string unit = "admin3") => new()
    {
        ["query_kind"] = "modal_location",
        ["locations"] = new JsonArray(DailyLocation("2016-01-01", unit: unit), DailyLocation("2016-01-02", unit: unit),
            DailyLocation("2016-01-03", unit: unit)),
    };

    public static JsonObject SpatialAggregate(JsonObject locations) =>
        new() { ["query_kind"] = "spatial_aggregate", ["locations"] = locations };

    public static JsonObject Flows(string kind = "flows", string unit = "admin2") => new()
    {
        ["query_kind"] = kind,
        ["from_location"] = DailyLocation("2016-01-01", unit: unit),
        ["to_location"] = DailyLocation("2016-01-02", unit: unit),
    };

    public static JsonObject JoinedSpatialAggregate(JsonObject metric, string method, string unit = "admin2") => new()
    {
        ["query_kind"] = "joined_spatial_aggregate",
        ["locations"] = DailyLocation("2016-01-01", unit: unit),
        ["metric"] = metric,
        ["method"] = method,
    };

    /// <summary>One valid spec per metric kind.</summary>
    public static IEnumerable<JsonObject> AllMetrics()
    {
        yield return Metric("radius_of_gyration");
        yield return Windowed("unique_location_counts", "admin3");
        yield return Metric("subscriber_degree", ""","direction":"out" """);
        yield return Metric("event_count", ""","direction":"both" """);
        yield return Metric("nocturnal_events", ""","night_hours":{"start_hour":20,"end_hour":4}""");
        yield return Metric("pareto_interactions", ""","proportion":0.8""");
        yield return new JsonObject
        {
            ["query_kind"] = "displacement", ["start_date"] = "2016-01-01", ["end_date"] = "2016-01-03",
            ["statistic"] = "max", ["reference_location"] = DailyLocation("2016-01-01", unit: "admin3"),
        };
        yield return Metric("topup_amount", ""","statistic":"avg" """);
        yield return Metric("topup_balance", ""","statistic":"median" """);
        yield return Metric("handset", ""","characteristic":"brand","method":"most-common" """);
        yield return Parse("""{"query_kind":"total_active_periods","start_date":"2016-01-01","total_periods":3}""");
    }

    /// <summary>One valid spec per top-level kind, in catalog order.</summary>
    public static IEnumerable<JsonObject> AllTopLevel()
    {
        yield return Parse("""{"query_kind":"dummy_query","dummy_param":"fast_dummy","aggregation_unit":"admin3"}""");
        yield return Flows();
        yield return Flows("inflows");
        yield return Flows("outflows");
        yield return MeaningfulAggregate();
        yield return MeaningfulLabelOd();
        yield return MeaningfulDatesOd();
        yield return Parse("""{"query_kind":"geography","aggregation_unit":"admin2"}""");
        var lec = Windowed("location_event_counts");
        lec["interval"] = "hour";
        yield return lec;
        yield return Windowed("unique_subscriber_counts");
        yield return Windowed("location_introversion");
        yield return Windowed("total_network_objects");
        yield return new JsonObject
        {
            ["query_kind"] = "aggregate_network_objects", ["total_network_objects"] = Windowed("total_network_objects"),
            ["statistic"] = "avg", ["aggregate_by"] = "month",
        };
        yield return Dfs();
        yield return SpatialAggregate(DailyLocation());
        yield return JoinedSpatialAggregate(Metric("radius_of_gyration"), "avg");
        yield return new JsonObject
        {
            ["query_kind"] = "histogram_aggregate", ["metric"] = Metric("event_count"),
            ["bins"] = new JsonObject { ["n_bins"] = 5 },
        };
        yield return ActiveAtReferenceLocationCounts();
        yield return new JsonObject
        {
            ["query_kind"] = "unique_visitor_counts",
            ["active_at_reference_location_counts"] = ActiveAtReferenceLocationCounts(),
            ["unique_subscriber_counts"] = Windowed("unique_subscriber_counts", "admin3"),
        };
        yield return Windowed("consecutive_trips_od_matrix");
        yield return new JsonObject { ["query_kind"] = "unmoving_counts", ["locations"] = Windowed("unique_locations", "admin3") };
        yield return new JsonObject
        {
            ["query_kind"] = "unmoving_at_reference_location_counts", ["locations"] = Windowed("unique_locations", "admin3"),
            ["reference_locations"] = DailyLocation(),
        };
        yield return Windowed("trips_od_matrix");
        yield return LabelledSpatialAggregate();
        yield return LabelledFlows();
    }

    public static JsonObject Dfs(string metric = "amount", string unit = "admin1") =>
        Parse($$"""{"query_kind":"dfs_metric_total_amount","metric":"{{metric}}","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"{{unit}}"}""");

    /// <summary>Labels splitting the score plane: "day" where score_hour &lt; 0, "evening" where it is &gt; 0.</summary>
    public const string Labels = """
        {"day":{"type":"Polygon","coordinates":[[[-1.1,-1.1],[-1.1,1.1],[-0.000001,1.1],[-0.000001,-1.1]]]},
         "evening":{"type":"MultiPolygon","coordinates":[[[[0.000001,-1.1],[0.000001,1.1],[1.1,1.1],[1.1,-1.1]]]]}}
        """;

    public const string HourScores = "[-1,-1,-1,-1,-1,-1,-1,0,0,1,1,1,1,1,1,1,1,0,0,0,0,-1,-1,-1]";

    public const string DayScores = """{"monday":1,"tuesday":1,"wednesday":1,"thursday":0,"friday":-1,"saturday":-1,"sunday":-1}""";

    private static string MeaningfulCommon(string unit) =>
        "\"aggregation_unit\":\"" + unit + "\",\"labels\":" + Labels + ",\"tower_hour_of_day_scores\":" + HourScores +
        ",\"tower_day_of_week_scores\":" + DayScores;

    public static JsonObject MeaningfulAggregate(string unit = "admin1", string label = "evening", string extra = "") => Parse(
        $$"""{"query_kind":"meaningful_locations_aggregate","start_date":"2016-01-01","end_date":"2016-01-04","label":"{{label}}",{{MeaningfulCommon(unit)}}{{extra}}}""");

    public static JsonObject MeaningfulLabelOd(string unit = "admin1", string extra = "") => Parse(
        $$"""{"query_kind":"meaningful_locations_between_label_od_matrix","start_date":"2016-01-01","end_date":"2016-01-04","label_a":"day","label_b":"evening",{{MeaningfulCommon(unit)}}{{extra}}}""");

    public static JsonObject MeaningfulDatesOd(string unit = "admin1", string extra = "") => Parse(
        $$"""{"query_kind":"meaningful_locations_between_dates_od_matrix","start_date_a":"2016-01-01","end_date_a":"2016-01-02","start_date_b":"2016-01-02","end_date_b":"2016-01-04","label":"evening",{{MeaningfulCommon(unit)}}{{extra}}}""");

    public static JsonObject LocationVisits(string unit = "admin1") => new()
    {
        ["query_kind"] = "location_visits",
        ["locations"] = new JsonArray(DailyLocation("2016-01-01", unit: unit), DailyLocation("2016-01-02", unit: unit),
            DailyLocation("2016-01-03", unit: unit)),
    };

    public static JsonObject MajorityLocation(string unit = "admin1", bool includeUnlocatable = false) => new()
    {
        ["query_kind"] = "majority_location",
        ["subscriber_location_weights"] = LocationVisits(unit),
        ["include_unlocatable"] = includeUnlocatable,
    };

    public static JsonObject CoalescedLocation(string unit = "admin1", long threshold = 1) => new()
    {
        ["query_kind"] = "coalesced_location",
        ["preferred_location"] = MajorityLocation(unit, includeUnlocatable: true),
        ["fallback_location"] = new JsonObject
        {
            ["query_kind"] = "majority_location",
            ["subscriber_location_weights"] = new JsonObject
            {
                ["query_kind"] = "location_visits",
                ["locations"] = new JsonArray(DailyLocation("2016-01-01", "most-common", unit), DailyLocation("2016-01-02", "most-common", unit)),
            },
        },
        ["subscriber_location_weights"] = LocationVisits(unit),
        ["weight_threshold"] = threshold,
    };

    public static JsonObject MobilityClassification(string unit = "admin1") => new()
    {
        ["query_kind"] = "mobility_classification",
        ["locations"] = new JsonArray(CoalescedLocation(unit, 1), CoalescedLocation(unit, 2)),
        ["stay_length_threshold"] = 2,
    };

    public static JsonObject LabelledSpatialAggregate(string unit = "admin1") => new()
    {
        ["query_kind"] = "labelled_spatial_aggregate",
        ["locations"] = CoalescedLocation(unit),
        ["labels"] = MobilityClassification(unit),
    };

    public static JsonObject LabelledFlows(string unit = "admin1", string joinType = "inner") => new()
    {
        ["query_kind"] = "labelled_flows",
        ["from_location"] = CoalescedLocation(unit, 1),
        ["to_location"] = CoalescedLocation(unit, 2),
        ["labels"] = MobilityClassification(unit),
        ["join_type"] = joinType,
    };

    public static JsonObject ActiveAtReferenceLocationCounts(string unit = "admin3") => new()
    {
        ["query_kind"] = "active_at_reference_location_counts",
        ["unique_locations"] = Windowed("unique_locations", unit),
        ["reference_locations"] = DailyLocation(unit: unit),
    };
}
