// Every sampling method in every kind whose schema offers sampling, and subscriber_subset (a stored query's id) in
// every kind that takes one: both parse, change the id, and on the data keep the result within the sample / subset.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using Xunit;

namespace FlowAkka.Queries.Tests;

[Collection(FlowDbCollection.Name)]
public sealed class SamplingAndSubsetSpecs(FlowDbFixture db) : OracleSpecBase(db), IAsyncLifetime
{
    private static readonly string SubsetId = new('5', 32);

    public async Task InitializeAsync() => await Db.RunAsync($"""
        CREATE SCHEMA IF NOT EXISTS cache;
        DROP TABLE IF EXISTS cache.x{SubsetId};
        CREATE TABLE cache.x{SubsetId} AS SELECT DISTINCT msisdn AS subscriber FROM events.calls ORDER BY 1 LIMIT 120;
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Samples =
    [
        """{"sampling_method":"system","size":40,"seed":0.5}""",
        """{"sampling_method":"bernoulli","fraction":0.3,"seed":12}""",
        """{"sampling_method":"random_ids","size":25,"seed":-0.4,"estimate_count":false}""",
    ];

    /// <summary>Every nested or top-level spec in the samples, once per kind.</summary>
    private static IEnumerable<JsonObject> AllSpecs()
    {
        var seen = new HashSet<string>();
        IEnumerable<JsonObject> Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                if (o["query_kind"] is JsonValue k && seen.Add(k.GetValue<string>()))
                {
                    yield return o;
                }

                foreach (var (_, v) in o)
                {
                    foreach (var x in Walk(v)) { yield return x; }
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var v in a)
                {
                    foreach (var x in Walk(v)) { yield return x; }
                }
            }
        }

        return SampleSpecs.AllTopLevel().Concat(SampleSpecs.AllMetrics()).SelectMany(s => Walk(s.DeepClone())).ToList();
    }

    private static readonly JsonObject Schemas = QueryCatalog.QuerySchemas;

    private static string SchemaName(string kind) =>
        Schemas.First(s => s.Value?["properties"]?["query_kind"]?["enum"]?[0]?.GetValue<string>() == kind).Key;

    [Fact]
    public void Every_kind_offering_sampling_accepts_each_method_and_gets_a_new_id()
    {
        var kinds = new List<string>();
        foreach (var spec in AllSpecs())
        {
            var kind = spec["query_kind"]!.GetValue<string>();
            if (Schemas[SchemaName(kind)]!["properties"]!["sampling"] is null)
            {
                continue;
            }

            kinds.Add(kind);
            var plain = QueryCatalog.ParseAny(spec).Query!;
            foreach (var sample in Samples)
            {
                var sampled = (JsonObject)spec.DeepClone();
                sampled["sampling"] = JsonNode.Parse(sample);
                var result = QueryCatalog.ParseAny(sampled);
                Assert.True(result.Query is not null, $"{kind}: {result.ValidationErrors?.ToJsonString()}");
                Assert.NotEqual(plain.QueryId, result.Query!.QueryId);
                Assert.Contains("md5(", result.Query.BuildSql(InlineSqlSource.Instance));
            }
        }

        Assert.Contains("majority_location", kinds);
        Assert.Contains("coalesced_location", kinds);
        Assert.Contains("mobility_classification", kinds);
        Assert.Contains("daily_location", kinds);
    }

    [Fact]
    public void Every_kind_offering_a_subscriber_subset_reads_the_stored_query()
    {
        var kinds = 0;
        foreach (var spec in AllSpecs())
        {
            var kind = spec["query_kind"]!.GetValue<string>();
            if (Schemas[SchemaName(kind)]!["properties"]!["subscriber_subset"] is null)
            {
                continue;
            }

            kinds++;
            var subset = (JsonObject)spec.DeepClone();
            subset["subscriber_subset"] = SubsetId;
            var q = QueryCatalog.ParseAny(subset).Query!;
            Assert.Contains(q.DependencyTree(), d => d is StoredQueryReference s && s.QueryId == SubsetId);
            Assert.Contains($"cache.x{SubsetId}", q.BuildSql(InlineSqlSource.Instance));
            subset["subscriber_subset"] = "not an id";
            Assert.Equal("""["Must be None or a valid query id."]""", QueryCatalog.ParseAny(subset).ValidationErrors!["subscriber_subset"]!.ToJsonString());
        }

        Assert.True(kinds >= 20, $"only {kinds} kinds take a subscriber subset");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_sampled_majority_location_is_a_subset_of_the_unsampled_one(int sample)
    {
        var spec = SampleSpecs.MajorityLocation("admin1");
        var all = await Db.RunAsync(Parse(spec, QueryCatalog.ReferenceLocation).BuildSql(InlineSqlSource.Instance));
        spec["sampling"] = JsonNode.Parse(Samples[sample]);
        var part = await Db.RunAsync(Parse(spec, QueryCatalog.ReferenceLocation).BuildSql(InlineSqlSource.Instance));
        Assert.NotEmpty(part.Rows);
        Assert.True(part.Rows.Count < all.Rows.Count);
        Assert.All(part.Rows, r => Assert.Contains(r, all.Rows));
        if (sample != 1)
        {
            Assert.Equal(sample == 0 ? 40 : 25, part.Rows.Count);
        }
    }

    [Fact]
    public async Task A_subset_limits_meaningful_locations_to_the_stored_subscribers()
    {
        var spec = SampleSpecs.MeaningfulDatesOd("admin1");
        spec["subscriber_subset"] = SubsetId;
        var withSubset = await Db.RunAsync(Parse(spec).BuildSql(InlineSqlSource.Instance));
        var without = await Db.RunAsync(Parse(SampleSpecs.MeaningfulDatesOd("admin1")).BuildSql(InlineSqlSource.Instance));
        var total = (IReadOnlyList<string> rows) => rows.Sum(r => double.Parse(r.Split(" | ")[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(withSubset.Rows);
        Assert.True(total(withSubset.Rows) < total(without.Rows));
        Assert.True(total(withSubset.Rows) <= 120);
    }
}
