// meaningful_locations_aggregate, meaningful_locations_between_label_od_matrix and
// meaningful_locations_between_dates_od_matrix: subscribers' labelled Hartigan clusters, counted per admin unit
// (1/n_clusters each) or as an OD matrix (1/(n_a·n_b)); the first two are redacted (totals of 15 or less dropped).
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public abstract class MeaningfulLocationsBase : Query
{
    protected MeaningfulLocationsBase(JsonObject normalised, SpatialUnit unit, MeaningfulParameters parameters,
        StoredQueryReference? subset)
        : base(normalised)
    {
        Unit = unit;
        Parameters = parameters;
        SubscriberSubset = subset;
    }

    public SpatialUnit Unit { get; }

    public MeaningfulParameters Parameters { get; }

    public StoredQueryReference? SubscriberSubset { get; }

    public override string? AggregationUnit => Unit.Name;

    public override IReadOnlyList<Query> Dependencies => Deps.Of(SubscriberSubset);

    /// <summary>Reads the fields every meaningful-locations kind has, apart from dates and labels to extract.</summary>
    internal static (SpatialUnit? Unit, IReadOnlyList<string>? Types, StoredQueryReference? Subset, MeaningfulParameters? P) ReadCommon(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var types = r.EventTypes();
        var subset = r.SubscriberSubset();
        var labels = r.Labels();
        var hours = r.TowerHourOfDayScores();
        var days = r.TowerDayOfWeekScores();
        var radius = r.Number("tower_cluster_radius", required: false, defaultValue: 1.0);
        var threshold = r.Integer("tower_cluster_call_threshold", required: false, defaultValue: 0);
        if (unit is { IsLonLat: true })
        {
            r.AddError("aggregation_unit", "Meaningful locations are aggregated to polygons: use admin0, admin1, admin2 or admin3.");
        }

        var p = labels is null || hours is null || days is null || radius is null || threshold is null
            ? null
            : new MeaningfulParameters(labels, new TowerScores(hours, days), radius.Value, threshold.Value);
        return (unit, types, subset, p);
    }

    internal static string? ReadLabel(SpecReader r, string field) => r.String(field, required: true);

    internal static IEnumerable<(string, JsonNode)> CommonSchema() =>
    [
        .. AggregationUnit(),
        ("event_types", EventTypes()),
        ("subscriber_subset", NullableString()),
        ("labels", new JsonObject { ["additionalProperties"] = new JsonObject { ["type"] = "object" }, ["type"] = "object" }),
        ("tower_hour_of_day_scores", new JsonObject
        {
            ["items"] = Number(min: -1.0, max: 1.0), ["maxItems"] = 24, ["minItems"] = 24, ["type"] = "array",
        }),
        ("tower_day_of_week_scores", new JsonObject
        {
            ["additionalProperties"] = Number(min: -1.0, max: 1.0), ["type"] = "object",
        }),
        ("tower_cluster_radius", new JsonObject { ["default"] = 1.0, ["type"] = "number" }),
        ("tower_cluster_call_threshold", Integer(defaultValue: 0)),
    ];

    internal static readonly string[] CommonRequired =
        ["aggregation_unit", "labels", "tower_hour_of_day_scores", "tower_day_of_week_scores"];

    protected static string With(IEnumerable<string> ctes, string select) =>
        $"SELECT * FROM (WITH RECURSIVE {string.Join(", ", ctes)} {select}) meaningful";

    /// <summary>OD of two MeaningfulLocations selects: (label_from, label_to, pcod_from, pcod_to, total).</summary>
    protected string OdSelect(string from, string to) =>
        $"SELECT a.label AS label_from, b.label AS label_to, pf.pcod AS pcod_from, pt.pcod AS pcod_to, " +
        "sum(1.0 / (a.n_clusters * b.n_clusters)) AS total " +
        $"FROM ({from}) a JOIN ({to}) b ON a.subscriber = b.subscriber " +
        $"LEFT JOIN ({MeaningfulLocationsSql.Polygons(Unit)}) pf ON ST_Contains(pf.geom, a.cluster::geometry) " +
        $"LEFT JOIN ({MeaningfulLocationsSql.Polygons(Unit)}) pt ON ST_Contains(pt.geom, b.cluster::geometry) " +
        "GROUP BY a.label, b.label, pf.pcod, pt.pcod";
}

public sealed class MeaningfulLocationsAggregate : MeaningfulLocationsBase
{
    public static readonly KindDefinition Definition =
        new("meaningful_locations_aggregate", "MeaningfulLocationsAggregate", Parse, Schema);

    private MeaningfulLocationsAggregate(JsonObject normalised, SpatialUnit unit, MeaningfulParameters p, EventWindow window, string label)
        : base(normalised, unit, p, window.SubscriberSubset)
    {
        Window = window;
        Label = label;
    }

    public EventWindow Window { get; }

    public string Label { get; }

    public override string QueryKind => "meaningful_locations_aggregate";

    public override string CacheClassName => "RedactedMeaningfulLocationsAggregate";

    public override IReadOnlyList<string> Columns => ["label", "pcod", "total"];

    public override string BuildSql(ISqlSource source) => With(
        MeaningfulLocationsSql.LabelledClusters("ml", Window, Parameters, source),
        $"SELECT m.label, g.pcod, sum(1.0 / m.n_clusters) AS total FROM ({MeaningfulLocationsSql.Meaningful("ml_labelled", Label)}) m " +
        $"LEFT JOIN ({MeaningfulLocationsSql.Polygons(Unit)}) g ON ST_Contains(g.geom, m.cluster::geometry) " +
        $"GROUP BY m.label, g.pcod HAVING sum(1.0 / m.n_clusters) > {Redaction.Threshold}");

    private static Query? Parse(SpecReader r)
    {
        var start = r.Date("start_date");
        var end = r.Date("end_date");
        var label = ReadLabel(r, "label");
        var (unit, types, subset, p) = ReadCommon(r);
        if (!r.Ok())
        {
            return null;
        }

        return new MeaningfulLocationsAggregate(r.Normalised, unit!, p!,
            new EventWindow(start!.Value, end!.Value, types, null, subset), label!);
    }

    private static JsonObject Schema() => Kind("meaningful_locations_aggregate",
        [.. CommonSchema(), ("start_date", DateTime()), ("end_date", DateTime()), ("label", String())],
        [.. CommonRequired, "start_date", "end_date", "label"]);
}

public sealed class MeaningfulLocationsBetweenLabelODMatrix : MeaningfulLocationsBase
{
    public static readonly KindDefinition Definition = new("meaningful_locations_between_label_od_matrix",
        "MeaningfulLocationsBetweenLabelODMatrix", Parse, Schema);

    private MeaningfulLocationsBetweenLabelODMatrix(JsonObject normalised, SpatialUnit unit, MeaningfulParameters p,
        EventWindow window, string labelA, string labelB)
        : base(normalised, unit, p, window.SubscriberSubset)
    {
        Window = window;
        LabelA = labelA;
        LabelB = labelB;
    }

    public EventWindow Window { get; }

    public string LabelA { get; }

    public string LabelB { get; }

    public override string QueryKind => "meaningful_locations_between_label_od_matrix";

    public override string CacheClassName => "RedactedMeaningfulLocationsOD";

    public override IReadOnlyList<string> Columns => ["label_from", "label_to", "pcod_from", "pcod_to", "total"];

    // Both labels come from the same clusters and scores, so the pipeline is computed once.
    public override string BuildSql(ISqlSource source) => With(
        MeaningfulLocationsSql.LabelledClusters("ml", Window, Parameters, source),
        $"SELECT * FROM ({OdSelect(MeaningfulLocationsSql.Meaningful("ml_labelled", LabelA), MeaningfulLocationsSql.Meaningful("ml_labelled", LabelB))}) od " +
        $"WHERE od.total > {Redaction.Threshold}");

    private static Query? Parse(SpecReader r)
    {
        var start = r.Date("start_date");
        var end = r.Date("end_date");
        var labelA = ReadLabel(r, "label_a");
        var labelB = ReadLabel(r, "label_b");
        var (unit, types, subset, p) = ReadCommon(r);
        if (!r.Ok())
        {
            return null;
        }

        return new MeaningfulLocationsBetweenLabelODMatrix(r.Normalised, unit!, p!,
            new EventWindow(start!.Value, end!.Value, types, null, subset), labelA!, labelB!);
    }

    private static JsonObject Schema() => Kind("meaningful_locations_between_label_od_matrix",
        [.. CommonSchema(), ("start_date", DateTime()), ("end_date", DateTime()), ("label_a", String()), ("label_b", String())],
        [.. CommonRequired, "start_date", "end_date", "label_a", "label_b"]);
}

public sealed class MeaningfulLocationsBetweenDatesODMatrix : MeaningfulLocationsBase
{
    public static readonly KindDefinition Definition = new("meaningful_locations_between_dates_od_matrix",
        "MeaningfulLocationsBetweenDatesODMatrix", Parse, Schema);

    private MeaningfulLocationsBetweenDatesODMatrix(JsonObject normalised, SpatialUnit unit, MeaningfulParameters p,
        EventWindow windowA, EventWindow windowB, string label)
        : base(normalised, unit, p, windowA.SubscriberSubset)
    {
        WindowA = windowA;
        WindowB = windowB;
        Label = label;
    }

    public EventWindow WindowA { get; }

    public EventWindow WindowB { get; }

    public string Label { get; }

    public override string QueryKind => "meaningful_locations_between_dates_od_matrix";

    // FlowKit does not redact this one (MeaningfulLocationsOD without its Redacted wrapper).
    public override string CacheClassName => "MeaningfulLocationsOD";

    public override IReadOnlyList<string> Columns => ["label_from", "label_to", "pcod_from", "pcod_to", "total"];

    public override string BuildSql(ISqlSource source) => With(
        MeaningfulLocationsSql.LabelledClusters("mla", WindowA, Parameters, source)
            .Concat(MeaningfulLocationsSql.LabelledClusters("mlb", WindowB, Parameters, source)),
        OdSelect(MeaningfulLocationsSql.Meaningful("mla_labelled", Label), MeaningfulLocationsSql.Meaningful("mlb_labelled", Label)));

    private static Query? Parse(SpecReader r)
    {
        var startA = r.Date("start_date_a");
        var endA = r.Date("end_date_a");
        var startB = r.Date("start_date_b");
        var endB = r.Date("end_date_b");
        var label = ReadLabel(r, "label");
        var (unit, types, subset, p) = ReadCommon(r);
        if (!r.Ok())
        {
            return null;
        }

        return new MeaningfulLocationsBetweenDatesODMatrix(r.Normalised, unit!, p!,
            new EventWindow(startA!.Value, endA!.Value, types, null, subset),
            new EventWindow(startB!.Value, endB!.Value, types, null, subset), label!);
    }

    private static JsonObject Schema() => Kind("meaningful_locations_between_dates_od_matrix",
    [
        .. CommonSchema(), ("start_date_a", DateTime()), ("end_date_a", DateTime()), ("start_date_b", DateTime()),
        ("end_date_b", DateTime()), ("label", String()),
    ], [.. CommonRequired, "start_date_a", "end_date_a", "start_date_b", "end_date_b", "label"]);
}
