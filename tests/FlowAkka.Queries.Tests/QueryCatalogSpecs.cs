using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class QueryCatalogSpecs
{
    [Fact]
    public void Available_queries_follow_FlowKits_declaration_order()
    {
        Assert.Equal(
        [
            "dummy_query", "flows", "inflows", "outflows", "meaningful_locations_aggregate",
            "meaningful_locations_between_label_od_matrix", "meaningful_locations_between_dates_od_matrix", "geography",
            "location_event_counts", "unique_subscriber_counts", "location_introversion", "total_network_objects",
            "aggregate_network_objects", "dfs_metric_total_amount", "spatial_aggregate", "joined_spatial_aggregate",
            "histogram_aggregate", "active_at_reference_location_counts", "unique_visitor_counts",
            "consecutive_trips_od_matrix", "unmoving_counts", "unmoving_at_reference_location_counts", "trips_od_matrix",
            "labelled_spatial_aggregate", "labelled_flows",
        ], QueryCatalog.AvailableQueries);
    }

    [Fact]
    public void Every_sample_of_every_top_level_kind_parses_and_builds_a_select()
    {
        var kinds = new List<string>();
        foreach (var spec in SampleSpecs.AllTopLevel())
        {
            var result = QueryCatalog.Parse(spec);
            Assert.True(result.Query is not null, $"{spec.ToJsonString()} → {result.ValidationErrors?.ToJsonString()}");
            var q = result.Query!;
            kinds.Add(q.QueryKind);
            var sql = q.BuildSql(InlineSqlSource.Instance);
            Assert.StartsWith(q.QueryKind is "histogram_aggregate" or "labelled_spatial_aggregate" or "labelled_flows" ? "WITH" : "SELECT", sql);
            Assert.DoesNotContain(";", sql);
            Assert.NotEmpty(q.Columns);
            Assert.NotEmpty(q.CacheClassName);
        }

        Assert.Equal(QueryCatalog.AvailableQueries, kinds);
    }

    [Fact]
    public void Every_metric_parses_inside_joined_spatial_aggregate()
    {
        foreach (var metric in SampleSpecs.AllMetrics())
        {
            var method = metric["query_kind"]!.GetValue<string>() == "handset" ? "distr" : "median";
            var result = QueryCatalog.Parse(SampleSpecs.JoinedSpatialAggregate(metric, method));
            Assert.True(result.Query is not null, result.ValidationErrors?.ToJsonString());
            Assert.Equal(metric["query_kind"]!.GetValue<string>(), result.Query!.Dependencies[1].QueryKind);
        }
    }

    [Fact]
    public void Unknown_query_kind_lists_the_kinds()
    {
        var result = QueryCatalog.Parse(SampleSpecs.Parse("""{"query_kind":"nonexistent_query_kind"}"""));
        Assert.Null(result.Query);
        Assert.Equal("Must be one of: " + string.Join(", ", QueryCatalog.AvailableQueries) + ".",
            result.ValidationErrors!["query_kind"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Missing_query_kind_is_a_required_field_error()
    {
        var result = QueryCatalog.Parse(SampleSpecs.Parse("""{"date":"2016-01-01"}"""));
        Assert.Equal("""{"query_kind":["Missing data for required field."]}""", result.ValidationErrors!.ToJsonString());
    }

    [Fact]
    public void A_nested_kind_is_not_a_top_level_kind()
    {
        var result = QueryCatalog.Parse(SampleSpecs.DailyLocation());
        Assert.NotNull(result.ValidationErrors!["query_kind"]);
    }

    [Theory]
    [InlineData("admin3")]
    [InlineData("lon-lat")]
    public void Aggregation_unit_is_the_nested_location_querys(string unit)
    {
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation(unit: unit))).Query!;
        Assert.Equal(unit, q.AggregationUnit);
        Assert.Equal(unit, QueryCatalog.AggregationUnitOf(q));
        Assert.Equal(unit == "lon-lat" ? ["lon", "lat", "value"] : new[] { "pcod", "value" }, q.Columns);
    }

    [Fact]
    public void Histogram_aggregate_is_non_spatial()
    {
        var spec = SampleSpecs.Parse("""
            {"query_kind":"histogram_aggregate","metric":{"query_kind":"displacement","start_date":"2016-01-01",
             "end_date":"2016-01-02","statistic":"avg","reference_location":{"query_kind":"daily_location",
             "date":"2016-01-01","method":"last","aggregation_unit":"admin3"}},"bins":{"n_bins":10}}
            """);
        var result = QueryCatalog.ParseAggregationUnit(spec);
        Assert.NotNull(result.Query);
        Assert.Null(result.Query!.AggregationUnit);
        Assert.Null(result.Query.BuildGeoJsonSql("SELECT * FROM cache.x1"));
    }

    [Fact]
    public void Spatial_aggregate_depends_on_its_daily_location_and_is_redacted()
    {
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation())).Query!;
        var dependency = Assert.Single(q.Dependencies);
        Assert.Equal("daily_location", dependency.QueryKind);
        Assert.Equal("DailyLocation", dependency.CacheClassName);
        Assert.Equal("RedactedSpatialAggregate", q.CacheClassName);
        Assert.Equal(["subscriber", "pcod"], dependency.Columns);
        Assert.Equal(["subscriber", "pcod"], dependency.IndexColumns);
        Assert.Equal(["pcod"], q.IndexColumns);
        Assert.Contains("> 15", q.BuildSql(InlineSqlSource.Instance));
    }

    [Fact]
    public void Dependency_tree_lists_each_query_once_dependencies_first()
    {
        var spec = SampleSpecs.Flows();
        spec["to_location"] = SampleSpecs.DailyLocation("2016-01-01", unit: "admin2");
        var q = QueryCatalog.Parse(spec).Query!;
        var tree = q.DependencyTree();
        Assert.Equal(2, tree.Count);
        Assert.Equal("daily_location", tree[0].QueryKind);
        Assert.Same(q, tree[^1]);

        var visitors = QueryCatalog.Parse(SampleSpecs.AllTopLevel().Single(s => s["query_kind"]!.GetValue<string>() == "unique_visitor_counts")).Query!;
        Assert.Equal(["unique_locations", "daily_location", "active_at_reference_location_counts", "unique_subscriber_counts", "unique_visitor_counts"],
            visitors.DependencyTree().Select(d => d.QueryKind));
    }

    private sealed class StoredSource(string storedId) : ISqlSource
    {
        public string SqlFor(Query dependency) =>
            dependency.QueryId == storedId ? $"SELECT * FROM cache.x{dependency.QueryId}" : dependency.BuildSql(this);
    }

    [Fact]
    public void The_sql_source_decides_between_a_cached_table_and_inline_sql()
    {
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation())).Query!;
        var daily = q.Dependencies[0];
        var stored = q.BuildSql(new StoredSource(daily.QueryId));
        Assert.Contains($"FROM (SELECT * FROM cache.x{daily.QueryId}) l", stored);
        Assert.DoesNotContain("events.calls", stored);
        Assert.Contains("events.calls", q.BuildSql(InlineSqlSource.Instance));
    }

    [Fact]
    public void A_subscriber_subset_is_a_dependency_read_from_its_cache_table()
    {
        var id = new string('a', 32);
        var spec = SampleSpecs.DailyLocation();
        spec["subscriber_subset"] = id;
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(spec)).Query!;
        var subset = Assert.IsType<StoredQueryReference>(Assert.Single(q.Dependencies[0].Dependencies));
        Assert.Equal(id, subset.QueryId);
        Assert.Contains($"SELECT * FROM cache.x{id}", q.BuildSql(InlineSqlSource.Instance));
    }

    [Fact]
    public void Dummy_query_has_FlowKits_id_and_its_delay()
    {
        var q = QueryCatalog.Parse(SampleSpecs.Parse(
            """{"query_kind":"dummy_query","dummy_param":"slow_dummy","aggregation_unit":"admin3","dummy_delay":3}""")).Query!;
        Assert.Equal("dummy_query_slow_dummy", q.QueryId);
        Assert.Equal(TimeSpan.FromSeconds(3), q.ReplyDelay);
        Assert.Equal("admin3", q.AggregationUnit);
        Assert.Equal(3L, q.NormalisedParameters["dummy_delay"]!.GetValue<long>());
    }

    [Fact]
    public void Normalised_parameters_carry_the_defaults()
    {
        var q = QueryCatalog.Parse(SampleSpecs.Windowed("total_network_objects")).Query!;
        var p = q.NormalisedParameters;
        Assert.Equal("day", p["total_by"]!.GetValue<string>());
        Assert.Null(p["event_types"]);
        Assert.True(p.ContainsKey("hours"));
        Assert.Equal("2016-01-01 00:00:00", p["start_date"]!.GetValue<string>());
        Assert.Equal(["pcod", "value", "datetime"], q.Columns);
    }

    [Fact]
    public void Geo_sql_joins_the_result_to_the_unit_geometry()
    {
        var q = QueryCatalog.Parse(SampleSpecs.SpatialAggregate(SampleSpecs.DailyLocation())).Query!;
        var sql = q.BuildGeoJsonSql("SELECT * FROM cache.xabc")!;
        Assert.Contains("geography.admin3", sql);
        Assert.Contains("AS features", sql);
        var flows = QueryCatalog.Parse(SampleSpecs.Flows()).Query!;
        Assert.Contains("outflows", flows.BuildGeoJsonSql("SELECT * FROM cache.xabc")!);
    }

    [Fact]
    public void Geography_validates_the_unit_with_FlowKits_message()
    {
        Assert.False(Geography.TryGeoJsonSql(new JsonObject { ["aggregation_unit"] = "admin9" }, out var sql, out var errors));
        Assert.Null(sql);
        Assert.Equal("""{"aggregation_unit":["Must be one of: admin0, admin1, admin2, admin3, lon-lat."]}""", errors!.ToJsonString());
        Assert.True(Geography.TryGeoJsonSql(new JsonObject { ["aggregation_unit"] = "lon-lat" }, out sql, out _));
        Assert.Contains("infrastructure.cells", sql);
        Assert.Throws<ArgumentException>(() => Geography.GeoJsonSql("admin4"));
    }
}
