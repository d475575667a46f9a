// The base of every query kind: identity (canonical JSON + md5 id), dependencies, output shape and SQL.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries;

/// <summary>Supplies the SQL of a dependency: either its cached table or its own inline SQL.</summary>
public interface ISqlSource
{
    string SqlFor(Query dependency);
}

/// <summary>Inlines every dependency (stored-query references still read their cache table).</summary>
public sealed class InlineSqlSource : ISqlSource
{
    public static readonly InlineSqlSource Instance = new();

    public string SqlFor(Query dependency) => dependency.BuildSql(this);
}

/// <summary>Outcome of parsing a spec: exactly one of the two is non-null.</summary>
public sealed record QueryParseResult(Query? Query, JsonObject? ValidationErrors)
{
    public bool IsValid => Query is not null;
}

public abstract class Query
{
    private readonly string _canonicalJson;
    private IReadOnlyList<string>? _indexColumns;

    protected Query(JsonObject normalisedParameters)
    {
        _canonicalJson = CanonicalJsonWriter.Write(normalisedParameters);
        QueryId = ComputeId(_canonicalJson);
    }

    public abstract string QueryKind { get; }

    /// <summary>32 lowercase hex: md5 of <see cref="CanonicalJson"/> (dummy_query overrides).</summary>
    public virtual string QueryId { get; }

    /// <summary>The validated spec with defaults filled in (a fresh copy each call).</summary>
    public JsonObject NormalisedParameters => (JsonObject)JsonNode.Parse(_canonicalJson)!;

    /// <summary>Normalised spec serialised with sorted keys and no whitespace.</summary>
    public string CanonicalJson => _canonicalJson;

    /// <summary>Direct sub-queries that are cached as tables of their own.</summary>
    public virtual IReadOnlyList<Query> Dependencies => [];

    /// <summary>Aggregation unit of the (nested) location query; null for non-spatial queries.</summary>
    public abstract string? AggregationUnit { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Location and subscriber columns, to index the cache table on.</summary>
    public virtual IReadOnlyList<string> IndexColumns => _indexColumns ??= Columns
        .Where(c => c is "subscriber" or "pcod" or "lon" or "lat" or "pcod_from" or "pcod_to"
            or "lon_from" or "lat_from" or "lon_to" or "lat_to")
        .ToArray();

    /// <summary>FlowKit's class name for the stored object (e.g. RedactedSpatialAggregate).</summary>
    public abstract string CacheClassName { get; }

    public virtual TimeSpan ReplyDelay => TimeSpan.Zero;

    /// <summary>A SELECT (no trailing semicolon) computing this query's result.</summary>
    public abstract string BuildSql(ISqlSource source);

    /// <summary>
    /// SQL giving one GeoJSON Feature per row (column <c>features</c>) of the result table joined to the
    /// geometry of its spatial unit; null when the query has no spatial unit.
    /// </summary>
    public virtual string? BuildGeoJsonSql(string resultTableSql)
    {
        var unit = AggregationUnit is null ? null : SpatialUnit.Parse(AggregationUnit);
        return unit is null ? null : Sql.GeoJsonSql.ForResult(unit, GeoJsonColumns, resultTableSql);
    }

    /// <summary>Columns of the SQL given to <see cref="BuildGeoJsonSql"/> (after any renaming).</summary>
    protected virtual IReadOnlyList<string> GeoJsonColumns => Columns;

    /// <summary>
    /// This query and every query below it, each once (by id), dependencies before their dependants:
    /// the order in which they can be stored.
    /// </summary>
    public IReadOnlyList<Query> DependencyTree()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<Query>();
        Visit(this);
        return order;

        void Visit(Query q)
        {
            if (!seen.Add(q.QueryId))
            {
                return;
            }

            foreach (var d in q.Dependencies)
            {
                Visit(d);
            }

            order.Add(q);
        }
    }

    public override string ToString() => $"{QueryKind}:{QueryId}";

    internal static string ComputeId(string canonicalJson)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(canonicalJson));
        return Convert.ToHexStringLower(hash);
    }
}
