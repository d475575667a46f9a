// A query known only by id (a subscriber_subset): its rows are read from its cache table.
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Fields;

/// <summary>
/// Stands for an already-known query given by id. The library checks only the id's format; the server
/// resolves it and its <see cref="ISqlSource"/> supplies the table (by default <c>cache.x&lt;id&gt;</c>).
/// </summary>
public sealed class StoredQueryReference : Query
{
    public StoredQueryReference(string queryId)
        : base(new JsonObject { ["query_kind"] = "stored_query", ["query_id"] = queryId })
    {
        if (!IsQueryId(queryId))
        {
            throw new ArgumentException("Not a query id.", nameof(queryId));
        }

        ReferencedId = queryId;
    }

    public string ReferencedId { get; }

    public override string QueryKind => "stored_query";

    public override string QueryId => ReferencedId;

    public override string? AggregationUnit => null;

    public override IReadOnlyList<string> Columns => ["subscriber"];

    public override string CacheClassName => "Table";

    public override string BuildSql(ISqlSource source) => $"SELECT * FROM cache.x{ReferencedId}";

    public static bool IsQueryId(string? s) =>
        s is { Length: 32 } && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
