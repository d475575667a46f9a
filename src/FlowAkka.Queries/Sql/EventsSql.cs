// The events union (FlowKit's EventsTablesUnion): event tables filtered on the date window, hours and subset,
// and its join to versioned cells and to the spatial unit.
using FlowAkka.Queries.Fields;

namespace FlowAkka.Queries.Sql;

public static class EventsSql
{
    /// <summary>
    /// Columns: event_type, id, subscriber, datetime, location_id, outgoing, msisdn_counterpart, tac.
    /// mds and topups have no direction or counterpart, so those are NULL there.
    /// </summary>
    public static string Union(EventWindow window, ISqlSource source)
    {
        var parts = window.Tables.Select(table =>
        {
            var (outgoing, counterpart) = table is "calls" or "sms"
                ? ("outgoing", "msisdn_counterpart")
                : ("NULL::boolean", "NULL::text");
            return $"SELECT {SqlLiteral.Text(Table(table))}::text AS event_type, id, msisdn AS subscriber, datetime, location_id, {outgoing} AS outgoing, " +
                   $"{counterpart} AS msisdn_counterpart, tac FROM events.{Table(table)} WHERE {Filter(window, source)}";
        });
        return string.Join(" UNION ALL ", parts);
    }

    /// <summary>The WHERE clause of one events table: date window, hours and subscriber subset.</summary>
    public static string Filter(EventWindow window, ISqlSource source, string datetime = "datetime", string msisdn = "msisdn")
    {
        var clauses = new List<string>
        {
            $"{datetime} >= {SqlLiteral.Timestamp(window.Start)}",
            $"{datetime} < {SqlLiteral.Timestamp(window.End)}",
        };
        if (window.Hours is { } hours)
        {
            clauses.Add(HoursClause(hours, $"EXTRACT(hour FROM {datetime})"));
        }

        if (window.SubscriberSubset is { } subset)
        {
            clauses.Add($"{msisdn} IN (SELECT subset.subscriber FROM ({source.SqlFor(subset)}) subset)");
        }

        return string.Join(" AND ", clauses);
    }

    /// <summary>Hour-of-day window; a start after the end wraps over midnight (e.g. 22..6).</summary>
    public static string HoursClause(HoursWindow hours, string hourExpression)
    {
        var start = SqlLiteral.Integer(hours.StartHour);
        var end = SqlLiteral.Integer(hours.EndHour);
        return hours.StartHour <= hours.EndHour
            ? $"({hourExpression} >= {start} AND {hourExpression} < {end})"
            : $"({hourExpression} >= {start} OR {hourExpression} < {end})";
    }

    /// <summary>Whitelisted event table name.</summary>
    public static string Table(string eventType) => eventType switch
    {
        "calls" => "calls",
        "sms" => "sms",
        "mds" => "mds",
        "topups" => "topups",
        _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Not an event type."),
    };

    /// <summary>
    /// Cells mapped to the spatial unit. Columns: cell_ref (cells.id), valid_from, valid_to, geom_point and the
    /// unit's location columns (pcod, or lon and lat).
    /// </summary>
    public static string CellMap(SpatialUnit unit)
    {
        const string common = "c.id AS cell_ref, coalesce(c.date_of_first_service, '-infinity'::date) AS valid_from, " +
                              "coalesce(c.date_of_last_service, 'infinity'::date) AS valid_to, c.geom_point";
        if (unit.AdminLevel is { } level)
        {
            var n = SqlLiteral.Integer(level);
            return $"SELECT {common}, g.admin{n}pcod AS pcod FROM infrastructure.cells c " +
                   $"JOIN geography.admin{n} g ON ST_Intersects(g.geom, c.geom_point)";
        }

        return $"SELECT {common}, ST_X(c.geom_point) AS lon, ST_Y(c.geom_point) AS lat " +
               "FROM infrastructure.cells c WHERE c.geom_point IS NOT NULL";
    }

    /// <summary>
    /// Events with a location: the union joined to the cell version in service on the event's day.
    /// Columns: the union's plus geom_point and the location columns.
    /// </summary>
    public static string Located(EventWindow window, SpatialUnit unit, ISqlSource source)
    {
        var loc = string.Join(", ", unit.LocationColumns.Select(c => $"m.{c}"));
        return $"SELECT e.event_type, e.id, e.subscriber, e.datetime, e.location_id, e.outgoing, e.msisdn_counterpart, e.tac, " +
               $"m.geom_point, {loc} FROM ({Union(window, source)}) e JOIN ({CellMap(unit)}) m " +
               "ON m.cell_ref = e.location_id AND e.datetime::date BETWEEN m.valid_from AND m.valid_to";
    }

    public static string Columns(SpatialUnit unit, string? alias = null) =>
        string.Join(", ", unit.LocationColumns.Select(c => alias is null ? c : $"{alias}.{c}"));

    /// <summary>Location columns renamed with a suffix, e.g. "a.pcod AS pcod_from".</summary>
    public static string ColumnsAs(SpatialUnit unit, string alias, string suffix) =>
        string.Join(", ", unit.LocationColumns.Select(c => $"{alias}.{c} AS {c}_{suffix}"));

    /// <summary>Join condition on every location column, e.g. "a.pcod = b.pcod".</summary>
    public static string JoinOn(SpatialUnit unit, string left, string right) =>
        string.Join(" AND ", unit.LocationColumns.Select(c => $"{left}.{c} = {right}.{c}"));
}
