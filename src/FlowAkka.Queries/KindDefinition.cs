// What the catalog knows of one query kind: its name, OpenAPI schema and parser.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries;

/// <param name="QueryKind">The wire name, e.g. "daily_location".</param>
/// <param name="SchemaName">The OpenAPI component name, e.g. "DailyLocation".</param>
/// <param name="Parse">Reads the fields; returns null when the reader holds errors.</param>
/// <param name="Schema">Builds the OpenAPI schema of the kind.</param>
public sealed record KindDefinition(string QueryKind, string SchemaName, Func<SpecReader, Query?> Parse, Func<JsonObject> Schema);

/// <summary>A set of kinds allowed at one place of a spec (a marshmallow OneOfSchema, or one nested schema).</summary>
public sealed record QueryGroup(string SchemaName, IReadOnlyList<KindDefinition> Kinds, bool IsOneOf = true)
{
    public IEnumerable<string> KindNames => Kinds.Select(k => k.QueryKind);

    public KindDefinition? Find(string kind) => Kinds.FirstOrDefault(k => k.QueryKind == kind);
}
