// The fields of the meaningful-locations kinds: tower hour-of-day / day-of-week scores and the label bounds
// (GeoJSON polygons in the (score_hour, score_dow) plane, as FlowKit's LabelEventScore reads them).
using System.Globalization;
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Fields;

/// <summary>One label of a labels dict: its name and its polygons (exterior rings, closed).</summary>
public sealed record LabelBounds(string Label, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Polygons, string Wkt);

/// <summary>Validated scores: 24 hour scores (index 0 is midnight) and 7 day scores, Monday first.</summary>
public sealed record TowerScores(IReadOnlyList<double> HourOfDay, IReadOnlyList<double> DayOfWeek);

public static class MeaningfulFields
{
    public static readonly IReadOnlyList<string> DaysOfWeek =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>tower_hour_of_day_scores: a list of exactly 24 numbers in [-1, 1].</summary>
    public static IReadOnlyList<double>? TowerHourOfDayScores(this SpecReader r, string field = "tower_hour_of_day_scores")
    {
        var node = r.Raw(field, out var present);
        if (!present)
        {
            r.AddError(field, Messages.Required);
            return null;
        }

        if (node is null)
        {
            r.AddError(field, Messages.NotNull);
            return null;
        }

        if (node is not JsonArray array)
        {
            r.AddError(field, Messages.NotList);
            return null;
        }

        var values = new List<double>();
        var errors = new JsonObject();
        for (var i = 0; i < array.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            if (!TryNumber(array[i], out var d))
            {
                errors[key] = new JsonArray(Messages.NotNumber);
            }
            else if (d is < -1.0 or > 1.0)
            {
                errors[key] = new JsonArray("Must be greater than or equal to -1.0 and less than or equal to 1.0.");
            }
            else
            {
                values.Add(d);
            }
        }

        if (errors.Count > 0)
        {
            r.AddErrors(field, errors);
            return null;
        }

        if (values.Count != 24)
        {
            r.AddError(field, Messages.LengthMustBe(24));
            return null;
        }

        r.Normalised[field] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        return values;
    }

    /// <summary>tower_day_of_week_scores: keys among monday..sunday, numbers in [-1, 1]; all seven are needed.</summary>
    public static IReadOnlyList<double>? TowerDayOfWeekScores(this SpecReader r, string field = "tower_day_of_week_scores")
    {
        var node = r.Raw(field, out var present);
        if (!present)
        {
            r.AddError(field, Messages.Required);
            return null;
        }

        if (node is null)
        {
            r.AddError(field, Messages.NotNull);
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.AddError(field, "Not a valid mapping type.");
            return null;
        }

        var errors = new JsonObject();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            var entry = new JsonObject();
            if (!DaysOfWeek.Contains(key, StringComparer.Ordinal))
            {
                entry["key"] = new JsonArray(Messages.OneOf(DaysOfWeek));
            }

            if (!TryNumber(value, out var d))
            {
                entry["value"] = new JsonArray(Messages.NotNumber);
            }
            else if (d is < -1.0 or > 1.0)
            {
                entry["value"] = new JsonArray("Must be greater than or equal to -1.0 and less than or equal to 1.0.");
            }

            if (entry.Count > 0)
            {
                errors[key] = entry;
            }
            else
            {
                scores[key] = d;
            }
        }

        if (errors.Count > 0)
        {
            r.AddErrors(field, errors);
            return null;
        }

        if (scores.Count != DaysOfWeek.Count)
        {
            // FlowKit's EventScore refuses an incomplete week when the query object is built.
            var got = string.Join(", ", scores.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => $"'{k}'"));
            r.AddError(field, $"Day of week score dictionary must have values for all days. Only got {{{got}}}");
            return null;
        }

        var normalised = new JsonObject();
        foreach (var day in DaysOfWeek.OrderBy(d => d, StringComparer.Ordinal))
        {
            normalised[day] = scores[day];
        }

        r.Normalised[field] = normalised;
        return DaysOfWeek.Select(d => scores[d]).ToArray();
    }

    /// <summary>
    /// labels: a dict of label name → GeoJSON Polygon or MultiPolygon over (score_hour, score_dow). Bounds may not
    /// intersect one another and "unknown" is reserved, as in FlowKit's LabelEventScore.
    /// </summary>
    public static IReadOnlyList<LabelBounds>? Labels(this SpecReader r, string field = "labels")
    {
        var node = r.Raw(field, out var present);
        if (!present)
        {
            r.AddError(field, Messages.Required);
            return null;
        }

        if (node is null)
        {
            r.AddError(field, Messages.NotNull);
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.AddError(field, "Not a valid mapping type.");
            return null;
        }

        var errors = new JsonObject();
        var labels = new List<LabelBounds>();
        foreach (var (name, value) in obj)
        {
            if (SpecReader.IsHostile(name))
            {
                errors[name] = new JsonObject { ["key"] = new JsonArray(Messages.Hostile) };
                continue;
            }

            if (value is not JsonObject geometry)
            {
                errors[name] = new JsonObject { ["value"] = new JsonArray("Not a valid mapping type.") };
                continue;
            }

            var polygons = ReadGeometry(geometry, out var problem);
            if (polygons is null)
            {
                r.SchemaError($"Geometry for {name} is not valid: {problem}");
                continue;
            }

            labels.Add(new LabelBounds(name, polygons, Wkt(polygons)));
        }

        if (errors.Count > 0)
        {
            r.AddErrors(field, errors);
            return null;
        }

        if (r.Errors.ContainsKey("_schema"))
        {
            return null;
        }

        if (labels.Any(l => l.Label == "unknown"))
        {
            r.SchemaError("'unknown' is a reserved label name, please use another name");
            return null;
        }

        for (var i = 0; i < labels.Count; i++)
        {
            for (var j = i + 1; j < labels.Count; j++)
            {
                if (Intersects(labels[i].Polygons, labels[j].Polygons))
                {
                    r.SchemaError($"Labels overlap. Label '{labels[i].Label}' bounds overlaps with that of '{labels[j].Label}'.");
                    return null;
                }
            }
        }

        r.Normalised[field] = obj.DeepClone();
        return labels;
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || node.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            return false;
        }

        value = v.GetValue<double>();
        return double.IsFinite(value);
    }

    private static List<IReadOnlyList<(double, double)>>? ReadGeometry(JsonObject geometry, out string problem)
    {
        problem = "";
        var type = geometry["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        var coordinates = geometry["coordinates"] as JsonArray;
        if (type is not ("Polygon" or "MultiPolygon") || coordinates is null)
        {
            problem = "Unknown geometry type: " + (type ?? "None");
            return null;
        }

        var polygonNodes = type == "Polygon" ? [coordinates] : coordinates.Select(p => p as JsonArray).ToList();
        var polygons = new List<IReadOnlyList<(double, double)>>();
        foreach (var polygon in polygonNodes)
        {
            // Holes are ignored for the overlap check; the SQL uses the polygon as given (exterior only).
            if (polygon is null || polygon.Count < 1 || polygon[0] is not JsonArray ring)
            {
                problem = "A polygon needs an exterior ring";
                return null;
            }

            var points = new List<(double, double)>();
            foreach (var p in ring)
            {
                if (p is not JsonArray xy || xy.Count < 2 || !TryNumber(xy[0], out var x) || !TryNumber(xy[1], out var y))
                {
                    problem = "Coordinates must be pairs of numbers";
                    return null;
                }

                points.Add((x, y));
            }

            if (points.Count > 1 && points[0] == points[^1])
            {
                points.RemoveAt(points.Count - 1);
            }

            if (points.Count < 3)
            {
                problem = "A LinearRing must have at least 3 coordinate tuples";
                return null;
            }

            points.Add(points[0]);
            polygons.Add(points);
        }

        return polygons;
    }

    private static string Wkt(IReadOnlyList<IReadOnlyList<(double X, double Y)>> polygons) =>
        "MULTIPOLYGON(" + string.Join(",", polygons.Select(p =>
            "((" + string.Join(",", p.Select(pt => Format(pt.X) + " " + Format(pt.Y))) + "))")) + ")";

    private static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Shapely's intersects (touching counts) for polygons given by their exterior rings.</summary>
    private static bool Intersects(IReadOnlyList<IReadOnlyList<(double X, double Y)>> a, IReadOnlyList<IReadOnlyList<(double X, double Y)>> b)
    {
        foreach (var pa in a)
        {
            foreach (var pb in b)
            {
                for (var i = 0; i + 1 < pa.Count; i++)
                {
                    for (var j = 0; j + 1 < pb.Count; j++)
                    {
                        if (SegmentsIntersect(pa[i], pa[i + 1], pb[j], pb[j + 1]))
                        {
                            return true;
                        }
                    }
                }

                if (Inside(pa[0], pb) || Inside(pb[0], pa))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));

    private static bool OnSegment((double X, double Y) p, (double X, double Y) q, (double X, double Y) r) =>
        Math.Min(p.X, r.X) <= q.X && q.X <= Math.Max(p.X, r.X) && Math.Min(p.Y, r.Y) <= q.Y && q.Y <= Math.Max(p.Y, r.Y);

    private static bool SegmentsIntersect((double X, double Y) p1, (double X, double Y) p2, (double X, double Y) q1, (double X, double Y) q2)
    {
        var d1 = Cross(q1, q2, p1);
        var d2 = Cross(q1, q2, p2);
        var d3 = Cross(p1, p2, q1);
        var d4 = Cross(p1, p2, q2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        {
            return true;
        }

        return (d1 == 0 && OnSegment(q1, p1, q2)) || (d2 == 0 && OnSegment(q1, p2, q2))
            || (d3 == 0 && OnSegment(p1, q1, p2)) || (d4 == 0 && OnSegment(p1, q2, p2));
    }

    private static bool Inside((double X, double Y) p, IReadOnlyList<(double X, double Y)> ring)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            if ((ring[i].Y > p.Y) != (ring[j].Y > p.Y)
                && p.X < ((ring[j].X - ring[i].X) * (p.Y - ring[i].Y) / (ring[j].Y - ring[i].Y)) + ring[i].X)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
