// labelled_flows: subscribers per (from, to) pair of two coalesced locations, split by mobility_classification
// label; a pair is dropped when any of its labels counts 15 or fewer (ADR 0011).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class LabelledFlows : Query
{
    public static readonly KindDefinition Definition = new("labelled_flows", "LabelledFlows", Parse, Schema);

    private LabelledFlows(JsonObject normalised, Query from, Query to, Query labels, string joinType)
        : base(normalised)
    {
        From = from;
        To = to;
        Labels = labels;
        JoinType = joinType;
        Unit = SpatialUnit.Parse(from.AggregationUnit)!;
    }

    public Query From { get; }

    public Query To { get; }

    public Query Labels { get; }

    public string JoinType { get; }

    public SpatialUnit Unit { get; }

    public override string QueryKind => "labelled_flows";

    public override string CacheClassName => "RedactedLabelledFlows";

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<string> Columns =>
        [.. Unit.SuffixedColumns("from"), .. Unit.SuffixedColumns("to"), "value_label", "value"];

    public override IReadOnlyList<Query> Dependencies => [From, To, Labels];

    public override string BuildSql(ISqlSource source)
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
        var pair = $"SELECT coalesce(a.subscriber, b.subscriber) AS subscriber, {EventsSql.ColumnsAs(Unit, "a", "from")}, " +
                   $"{EventsSql.ColumnsAs(Unit, "b", "to")} FROM ({source.SqlFor(From)}) a {join} ({source.SqlFor(To)}) b " +
                   "ON a.subscriber = b.subscriber";
        var groups = string.Join(", ", Unit.SuffixedColumns("from").Concat(Unit.SuffixedColumns("to")).Select(c => "p." + c));
        var counts = $"SELECT {groups}, l.value AS value_label, count(*) AS value FROM ({pair}) p " +
                     $"JOIN ({source.SqlFor(Labels)}) l ON l.subscriber = p.subscriber GROUP BY {groups}, l.value";
        return LabelledRedaction.KeepLocations(counts, [.. Unit.SuffixedColumns("from"), .. Unit.SuffixedColumns("to")], Columns);
    }

    private static Query? Parse(SpecReader r)
    {
        var from = r.Query("from_location", QueryCatalog.CoalescedLocationOnly);
        var to = r.Query("to_location", QueryCatalog.CoalescedLocationOnly);
        var labels = r.Query("labels", QueryCatalog.MobilityClassificationOnly);
        var joinType = r.String("join_type", required: false, Enums.JoinTypes, defaultValue: "inner");
        if (!r.Ok())
        {
            return null;
        }

        if (from!.AggregationUnit != to!.AggregationUnit)
        {
            r.SchemaError("'from_location' and 'to_location' parameters must have the same aggregation unit");
            return null;
        }

        return new LabelledFlows(r.Normalised, from, to, labels!, joinType!);
    }

    private static JsonObject Schema() => Kind("labelled_flows",
    [
        DerivedAggregationUnit(),
        ("from_location", Ref("CoalescedLocation")),
        ("join_type", Enum(Enums.JoinTypes, defaultValue: "inner")),
        ("labels", Ref("MobilityClassification")),
        ("to_location", Ref("CoalescedLocation")),
    ], "from_location", "to_location", "labels");
}
