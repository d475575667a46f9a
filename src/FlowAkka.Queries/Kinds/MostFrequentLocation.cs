// most_frequent_location: per subscriber, the location with the most events in the period.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class MostFrequentLocation : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("most_frequent_location", "MostFrequentLocation", Parse, Schema);

    private MostFrequentLocation(JsonObject normalised, SpatialUnit unit, EventWindow window, Sampling? sampling)
        : base(normalised, unit)
    {
        Window = window;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "most_frequent_location";

    public override string CacheClassName => "MostFrequentLocation";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        SamplingSql.Apply(LocationSql.MostCommon(EventsSql.Located(Window, Unit, source), Unit), Sampling);

    internal static (SpatialUnit? Unit, EventWindow? Window, Sampling? Sampling) ReadWindowed(SpecReader r, bool withSampling = true)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        var sampling = withSampling ? r.Sampling() : null;
        return (unit, window, sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var (unit, window, sampling) = ReadWindowed(r);
        return r.Ok() ? new MostFrequentLocation(r.Normalised, unit!, window!, sampling) : null;
    }

    internal static JsonObject WindowedSchema(string kind) => WindowedSchema(kind, withSampling: true, []);

    /// <summary>Schema of a kind with aggregation_unit and the usual event window fields.</summary>
    internal static JsonObject WindowedSchema(string kind, bool withSampling, string[] extraRequired,
        params (string, JsonNode)[] extra) => Kind(kind,
    [
        .. AggregationUnit(),
        .. EventWindow(),
        .. withSampling ? new[] { ("sampling", (JsonNode)Sampling()) } : [],
        .. extra,
    ], ["aggregation_unit", "start_date", "end_date", .. extraRequired]);

    private static JsonObject Schema() => WindowedSchema("most_frequent_location");
}
