// location_event_counts: events per location and time bucket (day, hour or minute), redacted.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class LocationEventCounts : LocationAggregateQuery
{
    public static readonly KindDefinition Definition = new("location_event_counts", "LocationEventCounts", Parse, Schema);

    private LocationEventCounts(JsonObject normalised, SpatialUnit unit, EventWindow window, string interval, string direction)
        : base(normalised, unit)
    {
        Window = window;
        Interval = interval;
        Direction = direction;
    }

    public EventWindow Window { get; }

    public string Interval { get; }

    public string Direction { get; }

    public override string QueryKind => "location_event_counts";

    public override string CacheClassName => "RedactedLocationEventCounts";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    private IReadOnlyList<string> TimeColumns => Interval switch
    {
        "day" => ["date"],
        "hour" => ["date", "hour"],
        _ => ["date", "hour", "min"],
    };

    public override IReadOnlyList<string> Columns => [.. Unit.LocationColumns, .. TimeColumns, "value"];

    public override string BuildSql(ISqlSource source)
    {
        var buckets = new Dictionary<string, string>
        {
            ["date"] = "(l.datetime::date)::text",
            ["hour"] = "EXTRACT(hour FROM l.datetime)::int",
            ["min"] = "EXTRACT(minute FROM l.datetime)::int",
        };
        var loc = EventsSql.Columns(Unit, "l");
        var selects = string.Join(", ", TimeColumns.Select(c => $"{buckets[c]} AS {c}"));
        var groups = string.Join(", ", TimeColumns.Select(c => buckets[c]));
        return Redaction.KeepAboveThreshold(
            $"SELECT {loc}, {selects}, count(*) AS value FROM ({EventsSql.Located(Window, Unit, source)}) l " +
            $"{DirectionSql.Where(Direction, "l.outgoing")} GROUP BY {loc}, {groups}");
    }

    private static Query? Parse(SpecReader r)
    {
        var unit = r.AggregationUnit();
        var window = r.EventWindow();
        var interval = r.String("interval", required: true, Enums.Interval);
        var direction = r.String("direction", required: false, Enums.Direction, defaultValue: "both");
        return r.Ok() ? new LocationEventCounts(r.Normalised, unit!, window!, interval!, direction!) : null;
    }

    private static JsonObject Schema() => MostFrequentLocation.WindowedSchema("location_event_counts", withSampling: false,
        ["interval"], ("interval", Enum(Enums.Interval)), ("direction", Enum(Enums.Direction, defaultValue: "both")));
}

/// <summary>Direction filters on the outgoing flag: in = received, out = made, both = no filter.</summary>
internal static class DirectionSql
{
    public static string Condition(string direction, string outgoing) => direction switch
    {
        "out" => $"{outgoing} IS TRUE",
        "in" => $"{outgoing} IS FALSE",
        _ => "TRUE",
    };

    public static string Where(string direction, string outgoing) =>
        direction == "both" ? "" : $"WHERE {Condition(direction, outgoing)}";
}
