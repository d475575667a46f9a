// Choosing one location per subscriber from located events: the last one, or the most common one.
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Sql;

public static class LocationSql
{
    /// <summary>The location of each subscriber's latest event (ties: lowest location).</summary>
    public static string Last(string locatedSql, SpatialUnit unit) =>
        $"SELECT DISTINCT ON (l.subscriber) l.subscriber, {EventsSql.Columns(unit, "l")} FROM ({locatedSql}) l " +
        $"ORDER BY l.subscriber, l.datetime DESC, {EventsSql.Columns(unit, "l")}";

    /// <summary>
    /// The location with most events (or, with <paramref name="countDays"/>, most distinct days) per subscriber;
    /// ties go to the more events, then the most recently seen, then the lowest location.
    /// </summary>
    public static string MostCommon(string locatedSql, SpatialUnit unit, bool countDays = false)
    {
        var loc = EventsSql.Columns(unit, "l");
        var score = countDays ? "count(DISTINCT l.datetime::date)" : "count(*)";
        return $"SELECT DISTINCT ON (t.subscriber) t.subscriber, {EventsSql.Columns(unit, "t")} FROM " +
               $"(SELECT l.subscriber, {loc}, {score} AS score, count(*) AS events, max(l.datetime) AS latest " +
               $"FROM ({locatedSql}) l GROUP BY l.subscriber, {loc}) t " +
               $"ORDER BY t.subscriber, t.score DESC, t.events DESC, t.latest DESC, {EventsSql.Columns(unit, "t")}";
    }

    /// <summary>Distinct (subscriber, location) pairs.</summary>
    public static string Unique(string locatedSql, SpatialUnit unit) =>
        $"SELECT DISTINCT l.subscriber, {EventsSql.Columns(unit, "l")} FROM ({locatedSql}) l";

    /// <summary>Subscriber column plus location columns of a per-subscriber location query.</summary>
    public static IReadOnlyList<string> SubscriberColumns(SpatialUnit unit) => ["subscriber", .. unit.LocationColumns];
}
