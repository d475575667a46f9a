using System.Text.Json.Nodes;
using Xunit;

namespace FlowAkka.Queries.Tests;

/// <summary>Junk in any field of any kind gives validation errors, never an exception.</summary>
public class SpecReaderSpecs
{
    private static readonly Func<JsonNode?>[] Junk =
    [
        () => null, () => 5, () => -1.5e300, () => "x", () => "", () => true, () => new JsonArray(),
        () => new JsonArray(1, "a", null), () => new JsonObject(), () => new JsonObject { ["query_kind"] = "daily_location" },
    ];

    private static IEnumerable<JsonObject> AllObjects(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            yield return o;
            foreach (var (_, child) in o.ToList())
            {
                foreach (var inner in AllObjects(child))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var inner in a.SelectMany(AllObjects))
            {
                yield return inner;
            }
        }
    }

    [Fact]
    public void Any_junk_value_in_any_field_is_a_validation_error_or_a_valid_query()
    {
        var checkedCases = 0;
        foreach (var sample in SampleSpecs.AllTopLevel())
        {
            var objectCount = AllObjects(sample).Count();
            for (var objectIndex = 0; objectIndex < objectCount; objectIndex++)
            {
                var keys = AllObjects(sample).ElementAt(objectIndex).Select(p => p.Key).ToList();
                foreach (var key in keys)
                {
                    foreach (var junk in Junk)
                    {
                        var spec = (JsonObject)sample.DeepClone();
                        AllObjects(spec).ElementAt(objectIndex)[key] = junk();
                        var result = QueryCatalog.Parse(spec);
                        Assert.True((result.Query is null) != (result.ValidationErrors is null));
                        if (result.Query is not null)
                        {
                            Assert.DoesNotContain(";", result.Query.BuildSql(InlineSqlSource.Instance));
                        }

                        checkedCases++;
                    }
                }
            }
        }

        Assert.True(checkedCases > 1000, $"{checkedCases} cases");
    }
}
