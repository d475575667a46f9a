using System.Text.Json.Nodes;
using Microsoft.OpenApi.Readers;
using Xunit;

namespace FlowAkka.Queries.Tests;

public class OpenApiDocumentSpecs
{
    private static readonly JsonObject Schemas = QueryCatalog.QuerySchemas;

    [Fact]
    public void The_document_parses_as_OpenAPI_3_without_errors()
    {
        var document = new JsonObject
        {
            ["openapi"] = "3.0.2",
            ["info"] = new JsonObject { ["title"] = "FlowAPI", ["version"] = "1.0.0" },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject { ["schemas"] = Schemas.DeepClone() },
        };
        var parsed = new OpenApiStringReader().Read(document.ToJsonString(), out var diagnostic);
        Assert.Empty(diagnostic.Errors);
        Assert.Equal(Schemas.Count, parsed.Components.Schemas.Count);
        var top = parsed.Components.Schemas["FlowmachineQuerySchema"];
        Assert.Equal("query_kind", top.Discriminator.PropertyName);
        Assert.Equal(QueryCatalog.AvailableQueries.Count, top.OneOf.Count);
    }

    [Fact]
    public void Every_top_level_kind_is_in_the_one_of_and_the_mapping()
    {
        var top = Schemas["FlowmachineQuerySchema"]!.AsObject();
        var mapping = top["discriminator"]!["mapping"]!.AsObject();
        var refs = top["oneOf"]!.AsArray().Select(r => r!["$ref"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(QueryCatalog.AvailableQueries.OrderBy(k => k, StringComparer.Ordinal), mapping.Select(m => m.Key));
        foreach (var (kind, target) in mapping)
        {
            var reference = target!.GetValue<string>();
            Assert.Contains(reference, refs);
            var schema = Schemas[reference.Split('/').Last()]!.AsObject();
            Assert.Equal("object", schema["type"]!.GetValue<string>());
            Assert.Contains("query_kind", schema["required"]!.AsArray().Select(x => x!.GetValue<string>()));
            Assert.Equal(kind, schema["properties"]!["query_kind"]!["enum"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public void Every_reference_resolves_and_every_kind_schema_has_type_properties_required()
    {
        var text = Schemas.ToJsonString();
        foreach (var match in System.Text.RegularExpressions.Regex.Matches(text, "#/components/schemas/([A-Za-z]+)").Cast<System.Text.RegularExpressions.Match>())
        {
            Assert.True(Schemas.ContainsKey(match.Groups[1].Value), match.Value);
        }

        foreach (var (name, schema) in Schemas)
        {
            var o = schema!.AsObject();
            if (o.ContainsKey("oneOf"))
            {
                Assert.NotNull(o["discriminator"]!["propertyName"]);
                continue;
            }

            Assert.Equal("object", o["type"]!.GetValue<string>());
            Assert.NotNull(o["properties"]);
            if (name != "HistogramBins")
            {
                Assert.NotEmpty(o["required"]!.AsArray());
            }
        }
    }

    [Fact]
    public void Shapes_match_FlowKits_approved_spec()
    {
        Assert.Equal(
            """{"properties":{"aggregation_unit":{"enum":["admin0","admin1","admin2","admin3","lon-lat"],"type":"string"},"date":{"format":"date-time","type":"string"},"event_types":{"default":null,"items":{"enum":["calls","mds","sms","topups"],"type":"string"},"minItems":1,"nullable":true,"type":"array"},"geom_table":{"nullable":true,"type":"string"},"geom_table_join_column":{"nullable":true,"type":"string"},"hours":{"allOf":[{"$ref":"#/components/schemas/Hours"}],"default":null,"nullable":true},"mapping_table":{"nullable":true,"type":"string"},"method":{"enum":["last","most-common"],"type":"string"},"query_kind":{"enum":["daily_location"],"type":"string"},"sampling":{"allOf":[{"$ref":"#/components/schemas/RandomSample"}],"nullable":true},"subscriber_subset":{"nullable":true,"type":"string"}},"required":["aggregation_unit","date","method","query_kind"],"type":"object"}""",
            Schemas["DailyLocation"]!.ToJsonString());
        Assert.Equal(
            """{"properties":{"end_hour":{"maximum":24,"minimum":0,"type":"integer"},"start_hour":{"maximum":24,"minimum":0,"type":"integer"}},"required":["end_hour","start_hour"],"type":"object"}""",
            Schemas["Hours"]!.ToJsonString());
        Assert.Equal(
            """{"discriminator":{"mapping":{"bernoulli":"#/components/schemas/BernoulliRandomSample","random_ids":"#/components/schemas/RandomIDsRandomSample","system":"#/components/schemas/SystemRandomSample"},"propertyName":"sampling_method"},"oneOf":[{"$ref":"#/components/schemas/BernoulliRandomSample"},{"$ref":"#/components/schemas/RandomIDsRandomSample"},{"$ref":"#/components/schemas/SystemRandomSample"}]}""",
            Schemas["RandomSample"]!.ToJsonString());
        Assert.Equal(
            """{"properties":{"aggregation_unit":{"enum":["admin0","admin1","admin2","admin3","lon-lat"],"readOnly":true,"type":"string"},"locations":{"$ref":"#/components/schemas/ReferenceLocation"},"query_kind":{"enum":["spatial_aggregate"],"type":"string"}},"required":["locations","query_kind"],"type":"object"}""",
            Schemas["SpatialAggregate"]!.ToJsonString());
        Assert.Equal(["day", "hour", "min"],
            Schemas["LocationEventCounts"]!["properties"]!["interval"]!["enum"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["aggregate_by", "query_kind", "statistic", "total_network_objects"],
            Schemas["AggregateNetworkObjects"]!["required"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public void Nested_groups_list_their_kinds()
    {
        string[] Keys(string group) => Schemas[group]!["discriminator"]!["mapping"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Equal(["daily_location", "majority_location", "modal_location", "most_frequent_location", "visited_most_days"], Keys("ReferenceLocation"));
        Assert.Equal(["daily_location", "modal_location", "most_frequent_location", "unique_locations", "visited_most_days"], Keys("InputToFlows"));
        Assert.Equal(11, Keys("JoinableMetrics").Length);
        Assert.DoesNotContain("handset", Keys("HistogrammableMetrics"));
        Assert.Equal(["daily_location"], Keys("InputToModalLocation"));
    }

    [Fact]
    public void The_document_is_a_copy_callers_cannot_change()
    {
        var copy = QueryCatalog.QuerySchemas;
        copy.Remove("Hours");
        Assert.True(QueryCatalog.QuerySchemas.ContainsKey("Hours"));
    }
}
