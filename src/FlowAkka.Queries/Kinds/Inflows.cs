// inflows: total flow into each destination (FlowKit's Flows.inflow()), redacted.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class Inflows : FlowsBase
{
    public static readonly KindDefinition Definition = new("inflows", "Inflows", Parse, () => FlowsSchema("inflows"));

    private Inflows(JsonObject normalised, Query from, Query to, string joinType)
        : base(normalised, from, to, joinType)
    {
    }

    public override string QueryKind => "inflows";

    public override string CacheClassName => "RedactedInOutFlow";

    public override IReadOnlyList<string> Columns => [.. Unit.SuffixedColumns("to"), "value"];

    public override string BuildSql(ISqlSource source) => InOut(FlowCountsSql(source), Unit, "to");

    public override string? BuildGeoJsonSql(string resultTableSql) => base.BuildGeoJsonSql(Renamed(resultTableSql, Unit, "to"));

    internal static string InOut(string flowCounts, SpatialUnit unit, string side)
    {
        var cols = string.Join(", ", unit.SuffixedColumns(side).Select(c => $"f.{c}"));
        return Redaction.KeepAboveThreshold($"SELECT {cols}, sum(f.value) AS value FROM ({flowCounts}) f GROUP BY {cols}");
    }

    /// <summary>The result with its location columns renamed back to pcod / lon, lat (for GeoJSON).</summary>
    internal static string Renamed(string resultSql, SpatialUnit unit, string side) =>
        $"SELECT {string.Join(", ", unit.LocationColumns.Select(c => $"x.{c}_{side} AS {c}"))}, x.value FROM ({resultSql}) x";

    protected override IReadOnlyList<string> GeoJsonColumns => [.. Unit.LocationColumns, "value"];

    private static Query? Parse(SpecReader r)
    {
        var (from, to, join) = ReadFlows(r);
        return r.Ok() ? new Inflows(r.Normalised, from!, to!, join!) : null;
    }
}
