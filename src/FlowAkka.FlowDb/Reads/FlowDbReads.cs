// The small reads the server answers directly from FlowDB: available dates and QA checks.
using Npgsql;

namespace FlowAkka.FlowDb.Reads;

public sealed record QaCheck(string CdrDate, string TypeOfQueryOrCheck, string? Outcome);

public sealed record QaCheckKind(string CdrType, string TypeOfQueryOrCheck);

public sealed class FlowDbReads(NpgsqlDataSource db)
{
    public static readonly IReadOnlyList<string> CdrTypes = ["calls", "sms", "mds", "topups"];

    /// <summary>get_available_dates: the ingested dates per cdr type (etl.etl_records), as yyyy-MM-dd.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AvailableDatesAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT cdr_type, to_char(cdr_date, 'YYYY-MM-DD') FROM etl.etl_records WHERE state = 'ingested' " +
            "GROUP BY cdr_type, cdr_date ORDER BY cdr_type, cdr_date");
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetString(0);
            if (!result.TryGetValue(type, out var dates)) result[type] = dates = [];
            dates.Add(reader.GetString(1));
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value);
    }

    /// <summary>list_qa_checks: every (cdr_type, check) pair recorded in etl.post_etl_queries.</summary>
    public async Task<IReadOnlyList<QaCheckKind>> QaCheckKindsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT DISTINCT cdr_type, type_of_query_or_check FROM etl.post_etl_queries ORDER BY 1, 2");
        var result = new List<QaCheckKind>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(new QaCheckKind(reader.GetString(0), reader.GetString(1)));
        return result;
    }

    /// <summary>get_qa_checks: one check's outcomes for a cdr type between two dates (both inclusive).</summary>
    public async Task<IReadOnlyList<QaCheck>> QaChecksAsync(DateOnly start, DateOnly end, string cdrType, string checkType,
        CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            SELECT to_char(cdr_date, 'YYYY-MM-DD'), type_of_query_or_check, outcome
            FROM etl.post_etl_queries
            WHERE cdr_date BETWEEN @start AND @end AND cdr_type = @type AND type_of_query_or_check = @check
            ORDER BY cdr_date
            """);
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", end);
        command.Parameters.AddWithValue("type", cdrType);
        command.Parameters.AddWithValue("check", checkType);
        var result = new List<QaCheck>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new QaCheck(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return result;
    }
}
