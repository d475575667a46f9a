// modal_location: per subscriber, the most frequent of several daily locations.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class ModalLocation : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("modal_location", "ModalLocation", Parse, Schema);

    private ModalLocation(JsonObject normalised, SpatialUnit unit, IReadOnlyList<Query> locations, Sampling? sampling)
        : base(normalised, unit)
    {
        Locations = locations;
        Sampling = sampling;
    }

    public IReadOnlyList<Query> Locations { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "modal_location";

    public override string CacheClassName => "ModalLocation";

    public override IReadOnlyList<Query> Dependencies => Locations;

    public override string BuildSql(ISqlSource source)
    {
        var loc = EventsSql.Columns(Unit);
        var inputs = string.Join(" UNION ALL ",
            Locations.Select((q, i) => $"SELECT subscriber, {loc} FROM ({source.SqlFor(q)}) d{i}"));
        // Ties go to the lowest location, so the result does not depend on the order of the inputs.
        var sql = $"SELECT DISTINCT ON (t.subscriber) t.subscriber, {EventsSql.Columns(Unit, "t")} FROM " +
                  $"(SELECT u.subscriber, {EventsSql.Columns(Unit, "u")}, count(*) AS n FROM ({inputs}) u " +
                  $"GROUP BY u.subscriber, {EventsSql.Columns(Unit, "u")}) t " +
                  $"ORDER BY t.subscriber, t.n DESC, {EventsSql.Columns(Unit, "t")}";
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var locations = r.QueryList("locations", QueryCatalog.InputToModalLocation);
        var sampling = r.Sampling();
        if (locations is not null && locations.Select(l => l.AggregationUnit).Distinct().Count() > 1)
        {
            r.AddError("locations", "All inputs to modal_location should have the same aggregation unit");
        }

        if (!r.Ok())
        {
            return null;
        }

        // Order does not change the result: canonicalise it.
        var sorted = locations!.OrderBy(l => l.CanonicalJson, StringComparer.Ordinal).ToArray();
        r.Normalised["locations"] = new JsonArray(sorted.Select(q => (JsonNode)q.NormalisedParameters).ToArray());
        return new ModalLocation(r.Normalised, SpatialUnit.Parse(sorted[0].AggregationUnit)!, sorted, sampling);
    }

    private static JsonObject Schema() => Kind("modal_location",
    [
        ("locations", ArrayOf("InputToModalLocation", 1)),
        ("sampling", Sampling()),
    ], "locations");
}
