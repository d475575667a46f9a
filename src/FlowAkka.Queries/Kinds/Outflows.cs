// outflows: total flow out of each origin (FlowKit's Flows.outflow()), redacted.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Kinds;

public sealed class Outflows : FlowsBase
{
    public static readonly KindDefinition Definition = new("outflows", "Outflows", Parse, () => FlowsSchema("outflows"));

    private Outflows(JsonObject normalised, Query from, Query to, string joinType)
        : base(normalised, from, to, joinType)
    {
    }

    public override string QueryKind => "outflows";

    public override string CacheClassName => "RedactedInOutFlow";

    public override IReadOnlyList<string> Columns => [.. Unit.SuffixedColumns("from"), "value"];

    public override string BuildSql(ISqlSource source) => Inflows.InOut(FlowCountsSql(source), Unit, "from");

    public override string? BuildGeoJsonSql(string resultTableSql) =>
        base.BuildGeoJsonSql(Inflows.Renamed(resultTableSql, Unit, "from"));

    protected override IReadOnlyList<string> GeoJsonColumns => [.. Unit.LocationColumns, "value"];

    private static Query? Parse(SpecReader r)
    {
        var (from, to, join) = ReadFlows(r);
        return r.Ok() ? new Outflows(r.Normalised, from!, to!, join!) : null;
    }
}
