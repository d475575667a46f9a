// dummy_query: FlowKit's test query; id "dummy_query_<dummy_param>", optional delay, trivial SQL.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class DummyQuery : Query
{
    public static readonly KindDefinition Definition = new("dummy_query", "DummyQuery", Parse, Schema);

    private DummyQuery(JsonObject normalised, string param, SpatialUnit unit, long delaySeconds)
        : base(normalised)
    {
        DummyParam = param;
        Unit = unit;
        ReplyDelay = TimeSpan.FromSeconds(Math.Max(0, delaySeconds));
    }

    public string DummyParam { get; }

    public SpatialUnit Unit { get; }

    public override string QueryKind => "dummy_query";

    public override string QueryId => "dummy_query_" + DummyParam;

    public override string? AggregationUnit => Unit.Name;

    public override string CacheClassName => "DummyQuery";

    public override TimeSpan ReplyDelay { get; }

    public override IReadOnlyList<string> Columns => ["value"];

    public override string BuildSql(ISqlSource source) => "SELECT 1 AS value";

    public override string? BuildGeoJsonSql(string resultTableSql) => null;

    private static Query? Parse(SpecReader r)
    {
        var param = r.String("dummy_param", required: true);
        var unit = r.AggregationUnit();
        var delay = r.Integer("dummy_delay", required: false, defaultValue: 0);
        // The id becomes a table name, so the parameter is kept to identifier characters.
        if (param is not null && (param.Length is 0 or > 40 || !param.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            r.AddError("dummy_param", "Must contain only letters, digits and '_' (at most 40).");
        }

        return r.Ok() ? new DummyQuery(r.Normalised, param!, unit!, delay ?? 0) : null;
    }

    private static JsonObject Schema() => Kind("dummy_query",
    [
        .. AggregationUnit(),
        ("dummy_delay", Integer(defaultValue: 0)),
        ("dummy_param", String()),
    ], "aggregation_unit", "dummy_param");
}
