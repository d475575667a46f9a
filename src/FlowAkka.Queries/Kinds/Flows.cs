// flows: subscribers per (origin, destination) pair of two location queries (redacted); also the base of
// inflows and outflows.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public abstract class FlowsBase : Query
{
    protected FlowsBase(JsonObject normalised, Query from, Query to, string joinType)
        : base(normalised)
    {
        From = from;
        To = to;
        JoinType = joinType;
        Unit = SpatialUnit.Parse(from.AggregationUnit)!;
    }

    public Query From { get; }

    public Query To { get; }

    public string JoinType { get; }

    public SpatialUnit Unit { get; }

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<Query> Dependencies => [From, To];

    /// <summary>Unredacted (loc_from, loc_to, value) counts.</summary>
    protected string FlowCountsSql(ISqlSource source)
    {
        var join = JoinType switch
        {
            "inner" => "INNER JOIN",
            "full outer" => "FULL OUTER JOIN",
            "left" => "LEFT JOIN",
            "right" => "RIGHT JOIN",
            "left outer" => "LEFT OUTER JOIN",
            "right outer" => "RIGHT OUTER JOIN",
            _ => throw new InvalidOperationException("Unknown join type."),
        };
        var cols = $"{EventsSql.ColumnsAs(Unit, "a", "from")}, {EventsSql.ColumnsAs(Unit, "b", "to")}";
        var groups = string.Join(", ", Unit.LocationColumns.Select(c => $"a.{c}").Concat(Unit.LocationColumns.Select(c => $"b.{c}")));
        return $"SELECT {cols}, count(*) AS value FROM ({source.SqlFor(From)}) a {join} ({source.SqlFor(To)}) b " +
               $"ON a.subscriber = b.subscriber GROUP BY {groups}";
    }

    internal static (Query? From, Query? To, string? JoinType) ReadFlows(SpecReader r)
    {
        var from = r.Query("from_location", QueryCatalog.InputToFlows);
        var to = r.Query("to_location", QueryCatalog.InputToFlows);
        var joinType = r.String("join_type", required: false, Enums.JoinTypes, defaultValue: "inner");
        if (from is not null && to is not null && from.AggregationUnit != to.AggregationUnit)
        {
            r.SchemaError("'from_location' and 'to_location' parameters must have the same aggregation unit");
        }

        return (from, to, joinType);
    }

    internal static JsonObject FlowsSchema(string kind) => Kind(kind,
    [
        DerivedAggregationUnit(),
        ("from_location", Ref("InputToFlows")),
        ("join_type", Enum(Enums.JoinTypes, defaultValue: "inner")),
        ("to_location", Ref("InputToFlows")),
    ], "from_location", "to_location");
}

public sealed class Flows : FlowsBase
{
    public static readonly KindDefinition Definition = new("flows", "Flows", Parse, () => FlowsSchema("flows"));

    private Flows(JsonObject normalised, Query from, Query to, string joinType)
        : base(normalised, from, to, joinType)
    {
    }

    public override string QueryKind => "flows";

    public override string CacheClassName => "RedactedFlows";

    public override IReadOnlyList<string> Columns => [.. Unit.SuffixedColumns("from"), .. Unit.SuffixedColumns("to"), "value"];

    public override string BuildSql(ISqlSource source) => Redaction.KeepAboveThreshold(FlowCountsSql(source));

    private static Query? Parse(SpecReader r)
    {
        var (from, to, join) = ReadFlows(r);
        return r.Ok() ? new Flows(r.Normalised, from!, to!, join!) : null;
    }
}
