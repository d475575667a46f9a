// FlowKit parity of the catalog: the exact 25 top-level kinds and, per kind, its schema's properties and required
// fields (expectations written from FlowKit's query_schemas), plus field-level details of the newer kinds.
using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class CatalogParitySpecs
{
    private static readonly JsonObject Schemas = QueryCatalog.QuerySchemas;

    private const string Window = "end_date event_types hours start_date subscriber_subset";
    private const string Unit = "aggregation_unit geom_table geom_table_join_column mapping_table";
    private const string Meaningful = Unit + " event_types labels subscriber_subset tower_cluster_call_threshold tower_cluster_radius tower_day_of_week_scores tower_hour_of_day_scores";
    private const string MeaningfulRequired = "aggregation_unit labels tower_day_of_week_scores tower_hour_of_day_scores";

    public static TheoryData<string, string, string, string> Kinds() => new()
    {
        { "dummy_query", "DummyQuery", Unit + " dummy_delay dummy_param", "aggregation_unit dummy_param" },
        { "flows", "Flows", "aggregation_unit from_location join_type to_location", "from_location to_location" },
        { "inflows", "Inflows", "aggregation_unit from_location join_type to_location", "from_location to_location" },
        { "outflows", "Outflows", "aggregation_unit from_location join_type to_location", "from_location to_location" },
        { "meaningful_locations_aggregate", "MeaningfulLocationsAggregate", Meaningful + " end_date label start_date", MeaningfulRequired + " end_date label start_date" },
        { "meaningful_locations_between_label_od_matrix", "MeaningfulLocationsBetweenLabelODMatrix", Meaningful + " end_date label_a label_b start_date", MeaningfulRequired + " end_date label_a label_b start_date" },
        { "meaningful_locations_between_dates_od_matrix", "MeaningfulLocationsBetweenDatesODMatrix", Meaningful + " end_date_a end_date_b label start_date_a start_date_b", MeaningfulRequired + " end_date_a end_date_b label start_date_a start_date_b" },
        { "geography", "Geography", Unit, "aggregation_unit" },
        { "location_event_counts", "LocationEventCounts", Unit + " direction " + Window + " interval", "aggregation_unit end_date interval start_date" },
        { "unique_subscriber_counts", "UniqueSubscriberCounts", Unit + " " + Window, "aggregation_unit end_date start_date" },
        { "location_introversion", "LocationIntroversion", Unit + " direction " + Window, "aggregation_unit end_date start_date" },
        { "total_network_objects", "TotalNetworkObjects", Unit + " " + Window + " total_by", "aggregation_unit end_date start_date" },
        { "aggregate_network_objects", "AggregateNetworkObjects", "aggregate_by aggregation_unit statistic total_network_objects", "aggregate_by statistic total_network_objects" },
        { "dfs_metric_total_amount", "DFSTotalMetricAmount", Unit + " end_date metric start_date", "aggregation_unit end_date metric start_date" },
        { "spatial_aggregate", "SpatialAggregate", "aggregation_unit locations", "locations" },
        { "joined_spatial_aggregate", "JoinedSpatialAggregate", "aggregation_unit locations method metric", "locations method metric" },
        { "histogram_aggregate", "HistogramAggregate", "bins metric range", "bins metric" },
        { "active_at_reference_location_counts", "ActiveAtReferenceLocationCounts", "aggregation_unit reference_locations unique_locations", "reference_locations unique_locations" },
        { "unique_visitor_counts", "UniqueVisitorCounts", "active_at_reference_location_counts aggregation_unit unique_subscriber_counts", "active_at_reference_location_counts unique_subscriber_counts" },
        { "consecutive_trips_od_matrix", "ConsecutiveTripsODMatrix", Unit + " " + Window, "aggregation_unit end_date start_date" },
        { "unmoving_counts", "UnmovingCounts", "aggregation_unit locations", "locations" },
        { "unmoving_at_reference_location_counts", "UnmovingAtReferenceLocationCounts", "aggregation_unit locations reference_locations", "locations reference_locations" },
        { "trips_od_matrix", "TripsODMatrix", Unit + " " + Window, "aggregation_unit end_date start_date" },
        { "labelled_spatial_aggregate", "LabelledSpatialAggregate", "labels locations", "labels locations" },
        { "labelled_flows", "LabelledFlows", "aggregation_unit from_location join_type labels to_location", "from_location labels to_location" },
    };

    [Fact]
    public void Available_queries_are_exactly_FlowKits_25_kinds_in_order()
    {
        var expected = Kinds().Select(k => (string)k[0]).ToArray();
        Assert.Equal(25, expected.Length);
        Assert.Equal(expected, QueryCatalog.AvailableQueries);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_FlowKits_properties_and_required_fields(string kind, string schemaName, string properties, string required)
    {
        var schema = Schemas[schemaName]!.AsObject();
        var props = schema["properties"]!.AsObject().Select(p => p.Key).Where(k => k != "query_kind").OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(properties.Split(' ').Distinct().OrderBy(k => k, StringComparer.Ordinal), props);
        Assert.Equal(required.Split(' ').Append("query_kind").OrderBy(k => k, StringComparer.Ordinal),
            schema["required"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal($$"""{"enum":["{{kind}}"],"type":"string"}""", schema["properties"]!["query_kind"]!.ToJsonString());
    }

    [Theory]
    [InlineData("MeaningfulLocationsAggregate", "tower_hour_of_day_scores", """{"items":{"maximum":1,"minimum":-1,"type":"number"},"maxItems":24,"minItems":24,"type":"array"}""")]
    [InlineData("MeaningfulLocationsAggregate", "tower_day_of_week_scores", """{"additionalProperties":{"maximum":1,"minimum":-1,"type":"number"},"type":"object"}""")]
    [InlineData("MeaningfulLocationsAggregate", "tower_cluster_radius", """{"default":1,"type":"number"}""")]
    [InlineData("MeaningfulLocationsAggregate", "tower_cluster_call_threshold", """{"default":0,"type":"integer"}""")]
    [InlineData("MeaningfulLocationsAggregate", "labels", """{"additionalProperties":{"type":"object"},"type":"object"}""")]
    [InlineData("MeaningfulLocationsBetweenDatesODMatrix", "start_date_a", """{"format":"date-time","type":"string"}""")]
    [InlineData("DFSTotalMetricAmount", "metric", """{"enum":["amount","commission","discount","fee"],"type":"string"}""")]
    [InlineData("LabelledFlows", "join_type", """{"default":"inner","enum":["full outer","inner","left","left outer","right","right outer"],"type":"string"}""")]
    [InlineData("LabelledFlows", "from_location", """{"$ref":"#/components/schemas/CoalescedLocation"}""")]
    [InlineData("LabelledSpatialAggregate", "labels", """{"$ref":"#/components/schemas/MobilityClassification"}""")]
    [InlineData("CoalescedLocation", "weight_threshold", """{"type":"integer"}""")]
    [InlineData("CoalescedLocation", "preferred_location", """{"$ref":"#/components/schemas/MajorityLocation"}""")]
    [InlineData("MajorityLocation", "include_unlocatable", """{"default":false,"type":"boolean"}""")]
    [InlineData("MajorityLocation", "subscriber_location_weights", """{"$ref":"#/components/schemas/WeightedLocationQueries"}""")]
    [InlineData("MobilityClassification", "locations", """{"items":{"$ref":"#/components/schemas/CoalescedLocation"},"minItems":1,"type":"array"}""")]
    [InlineData("LocationVisits", "locations", """{"items":{"$ref":"#/components/schemas/VisitableLocation"},"type":"array"}""")]
    public void Newer_kinds_fields_have_FlowKits_types_enums_and_defaults(string schemaName, string field, string expected)
    {
        var actual = JsonNode.Parse(Schemas[schemaName]!["properties"]![field]!.ToJsonString())!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());
    }

    [Fact]
    public void Reference_location_includes_majority_location()
    {
        var mapping = Schemas["ReferenceLocation"]!["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key);
        Assert.Equal(["daily_location", "majority_location", "modal_location", "most_frequent_location", "visited_most_days"], mapping);
    }
}
