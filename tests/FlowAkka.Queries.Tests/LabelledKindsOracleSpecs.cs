// Oracle specs of majority_location, coalesced_location, mobility_classification, labelled_spatial_aggregate,
// labelled_flows and dfs_metric_total_amount, against step-by-step oracle tables written by hand.
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public sealed class LabelledKindsOracleSpecs(FlowDbFixture db) : OracleSpecBase(db), IAsyncLifetime
{
    private static string MostCommon(string day, string next) => $"""
        SELECT msisdn AS subscriber, a1 AS pcod FROM (
          SELECT msisdn, a1, row_number() OVER (PARTITION BY msisdn ORDER BY count(*) DESC, max(datetime) DESC, a1) AS rn
          FROM oracle.located WHERE {Window(day, next)} AND a1 IS NOT NULL GROUP BY msisdn, a1) x WHERE rn = 1
        """;

    public async Task InitializeAsync() => await Db.RunAsync($"""
        DROP TABLE IF EXISTS oracle.lv_last, oracle.lv_common, oracle.maj_pref, oracle.maj_fall, oracle.coal1, oracle.coal2, oracle.mob;
        CREATE TABLE oracle.lv_last AS SELECT subscriber, pcod, count(*) AS v FROM (
          {OracleDailyLast("2016-01-01", "2016-01-02", "a1")} UNION ALL {OracleDailyLast("2016-01-02", "2016-01-03", "a1")}
          UNION ALL {OracleDailyLast("2016-01-03", "2016-01-04", "a1")}) d GROUP BY 1, 2;
        CREATE TABLE oracle.lv_common AS SELECT subscriber, pcod, count(*) AS v FROM (
          {MostCommon("2016-01-01", "2016-01-02")} UNION ALL {MostCommon("2016-01-02", "2016-01-03")}) d GROUP BY 1, 2;
        CREATE TABLE oracle.maj_pref AS SELECT s.subscriber, m.pcod FROM (SELECT DISTINCT subscriber FROM oracle.lv_last) s
          LEFT JOIN (SELECT l.subscriber, l.pcod FROM oracle.lv_last l WHERE l.v * 2 > (SELECT sum(v) FROM oracle.lv_last x WHERE x.subscriber = l.subscriber)) m
          ON m.subscriber = s.subscriber;
        CREATE TABLE oracle.maj_fall AS SELECT l.subscriber, l.pcod FROM oracle.lv_common l
          WHERE l.v * 2 > (SELECT sum(v) FROM oracle.lv_common x WHERE x.subscriber = l.subscriber);
        CREATE TABLE oracle.coal1 AS SELECT coalesce(p.subscriber, f.subscriber) AS subscriber, coalesce(p.pcod, f.pcod) AS pcod
          FROM oracle.maj_pref p FULL JOIN (SELECT f.* FROM oracle.maj_fall f JOIN oracle.lv_last v USING (subscriber, pcod) WHERE v.v >= 1) f
          ON f.subscriber = p.subscriber;
        CREATE TABLE oracle.coal2 AS SELECT coalesce(p.subscriber, f.subscriber) AS subscriber, coalesce(p.pcod, f.pcod) AS pcod
          FROM oracle.maj_pref p FULL JOIN (SELECT f.* FROM oracle.maj_fall f JOIN oracle.lv_last v USING (subscriber, pcod) WHERE v.v >= 2) f
          ON f.subscriber = p.subscriber;
        CREATE TABLE oracle.mob AS SELECT c2.subscriber, CASE
            WHEN c2.pcod IS NULL THEN 'unlocatable'
            WHEN c1.subscriber IS NULL THEN 'sometimes_inactive'
            WHEN c1.pcod IS NULL THEN 'sometimes_unlocatable'
            WHEN c1.pcod IS DISTINCT FROM c2.pcod THEN 'highly_mobile' ELSE 'stable' END AS value
          FROM oracle.coal2 c2 LEFT JOIN oracle.coal1 c1 ON c1.subscriber = c2.subscriber;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Majority_location_keeps_locations_with_more_than_half_the_visits() =>
        await AssertMatchesOracle(Parse(SampleSpecs.MajorityLocation("admin1", includeUnlocatable: true), QueryCatalog.ReferenceLocation),
            "SELECT subscriber, pcod FROM oracle.maj_pref");

    [Fact]
    public async Task Coalesced_location_falls_back_to_a_visited_fallback_location() =>
        await AssertMatchesOracle(Parse(SampleSpecs.CoalescedLocation("admin1", 2), QueryCatalog.CoalescedLocationOnly),
            "SELECT subscriber, pcod FROM oracle.coal2");

    [Fact]
    public async Task Mobility_classification_labels_the_last_period() =>
        await AssertMatchesOracle(Parse(SampleSpecs.MobilityClassification("admin1"), QueryCatalog.MobilityClassificationOnly),
            "SELECT subscriber, value FROM oracle.mob");

    [Fact]
    public async Task Labelled_spatial_aggregate_drops_a_zone_when_any_label_counts_15_or_fewer()
    {
        const string counts = "SELECT c.pcod, m.value AS value_label, count(*) AS value FROM oracle.coal1 c LEFT JOIN oracle.mob m USING (subscriber) GROUP BY 1, 2";
        var all = await Db.RunAsync(counts);
        var kept = await AssertMatchesOracle(SampleSpecs.LabelledSpatialAggregate("admin1"),
            $"SELECT * FROM ({counts}) q WHERE q.pcod IN (SELECT pcod FROM ({counts}) k GROUP BY pcod HAVING min(value) > 15)", expectRows: false);
        Assert.True(all.Rows.Count > kept.Count, "some zone must have been redacted");
    }

    [Fact]
    public async Task Labelled_flows_count_pairs_per_label_and_redact_whole_pairs()
    {
        const string counts = "SELECT a.pcod AS pcod_from, b.pcod AS pcod_to, m.value AS value_label, count(*) AS value " +
                              "FROM oracle.coal1 a JOIN oracle.coal2 b USING (subscriber) JOIN oracle.mob m USING (subscriber) GROUP BY 1, 2, 3";
        Assert.NotEmpty((await Db.RunAsync(counts)).Rows);
        await AssertMatchesOracle(SampleSpecs.LabelledFlows("admin1"),
            $"SELECT q.* FROM ({counts}) q JOIN (SELECT pcod_from, pcod_to FROM ({counts}) k GROUP BY 1, 2 HAVING min(value) > 15) k USING (pcod_from, pcod_to)",
            expectRows: false);
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("fee")]
    public async Task Dfs_metric_total_amount_sums_the_metric_per_day_and_unit(string metric) =>
        await AssertMatchesOracle(SampleSpecs.Dfs(metric, "admin1"), $"""
            SELECT t.timestamp::date AS date, c.a1 AS pcod, sum(t.{metric}) AS value
            FROM dfs.transactions t JOIN dfs.transactions_metadata m ON m.transaction_id = t.id
            JOIN oracle.cell_at c ON c.id = m.cell_id
            WHERE t.timestamp >= '2016-01-01' AND t.timestamp < '2016-01-03' AND c.a1 IS NOT NULL GROUP BY 1, 2
            """);

    [Theory]
    [InlineData("""{"query_kind":"dfs_metric_total_amount","metric":"tax","start_date":"2016-01-01","end_date":"2016-01-02","aggregation_unit":"admin1"}""",
        """{"metric":["Must be one of: amount, commission, fee, discount."]}""")]
    [InlineData("""{"query_kind":"labelled_flows","from_location":{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin1"}}""",
        """{"from_location":{"query_kind":["Must be one of: coalesced_location."]},"to_location":["Missing data for required field."],"labels":["Missing data for required field."]}""")]
    [InlineData("""{"query_kind":"majority_location","subscriber_location_weights":{"query_kind":"location_visits","locations":[]}}""",
        """{"subscriber_location_weights":{"locations":["Shorter than minimum length 1."]}}""")]
    public void Invalid_specs_report_field_errors(string spec, string expected)
    {
        var result = QueryCatalog.ParseAny(SampleSpecs.Parse(spec));
        Assert.Null(result.Query);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(expected)!.ToJsonString(), result.ValidationErrors!.ToJsonString());
    }

    [Fact]
    public void Coalesced_location_inputs_must_share_the_unit()
    {
        var spec = SampleSpecs.CoalescedLocation("admin1");
        spec["fallback_location"] = SampleSpecs.MajorityLocation("admin2");
        var result = QueryCatalog.ParseIn(spec, QueryCatalog.CoalescedLocationOnly);
        Assert.Equal("""["fallback_location must have the same aggregation_unit as preferred_location"]""",
            result.ValidationErrors!["fallback_location"]!.ToJsonString());
        var flows = SampleSpecs.LabelledFlows("admin1");
        flows["to_location"] = SampleSpecs.CoalescedLocation("admin2");
        flows["labels"] = SampleSpecs.MobilityClassification("admin1");
        Assert.Contains("same aggregation unit", QueryCatalog.Parse(flows).ValidationErrors!["_schema"]![0]!.GetValue<string>());
    }
}
