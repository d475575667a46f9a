// Answers every FlowKit action: stateless ones here, query ones through the QueryActors' shard region.
using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;
using FlowAkka.FlowDb.Reads;
using FlowAkka.Protocol;
using FlowAkka.Queries;

namespace FlowAkka.Cluster.Actions;

public sealed record ActionHandlerSettings
{
    /// <summary>How long a query action waits for its QueryActor in all (recovery from Redis included)...</summary>
    public TimeSpan QueryAskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>...split into this many attempts: an unanswered command is sent again.</summary>
    public int QueryAskAttempts { get; init; } = 3;

    /// <summary>FlowKit caches available dates for 120 s; new dates appear at most this late.</summary>
    public TimeSpan AvailableDatesCacheTtl { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Per node. Never blocks: each request becomes a task whose result is told to the ingress that asked, so a slow
/// run_query never delays a ping.
/// </summary>
public sealed class ActionHandler : ReceiveActor
{
    public const string Name = "action-handler";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _region;
    private readonly FlowDbReads _reads;
    private readonly ActionHandlerSettings _settings;
    private (DateTimeOffset At, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Dates)? _datesCache;

    public ActionHandler(IActorRef region, FlowDbReads reads, ActionHandlerSettings settings)
    {
        _region = region;
        _reads = reads;
        _settings = settings;

        Receive<HandleAction>(handle =>
        {
            var ingress = Sender;
            Task<Reply> reply;
            try
            {
                reply = Handle(handle.Request);
            }
            catch (Exception e)
            {
                reply = Task.FromException<Reply>(e);
            }
            if (reply.IsCompletedSuccessfully)
            {
                // Stateless actions (ping, catalog, schemas) complete synchronously: answer without a continuation.
                ingress.Tell(new ActionReplied(handle.CorrelationId, reply.Result));
                return;
            }
            var log = _log;
            var request = handle.Request;
            reply.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    ingress.Tell(new ActionReplied(handle.CorrelationId, t.Result));
                    return;
                }
                log.Warning("Action '{0}' (request {1}) failed: {2}", request.Action, request.RequestId, t.Exception?.GetBaseException().Message);
                ingress.Tell(new ActionReplied(handle.CorrelationId, Reply.CouldNotGetReply()));
            }, TaskContinuationOptions.ExecuteSynchronously);
        });
    }

    public static Props Props(IActorRef region, FlowDbReads reads, ActionHandlerSettings settings) =>
        Akka.Actor.Props.Create(() => new ActionHandler(region, reads, settings));

    private Task<Reply> Handle(ActionRequest request)
    {
        if (ActionParameters.Check(request) is { } wrongArguments) return Task.FromResult(wrongArguments);
        return request.Action switch
        {
            ActionNames.Ping => Task.FromResult(Reply.Pong()),
            ActionNames.GetAvailableQueries => Task.FromResult(Reply.Success(new JsonObject
            {
                ["available_queries"] = new JsonArray(QueryCatalog.AvailableQueries.Select(k => (JsonNode)k!).ToArray()),
            })),
            ActionNames.GetQuerySchemas => Task.FromResult(Reply.Success(new JsonObject { ["query_schemas"] = QueryCatalog.QuerySchemas })),
            ActionNames.RunQuery => RunQueryAsync(request.Params),
            ActionNames.GetAggregationUnit => Task.FromResult(AggregationUnit(request.Params)),
            ActionNames.GetGeography => Task.FromResult(Geography(request.Params)),
            ActionNames.GetAvailableDates => AvailableDatesAsync(),
            ActionNames.ListQaChecks => ListQaChecksAsync(),
            ActionNames.GetQaChecks => QaChecksAsync(request.Params),
            ActionNames.PollQuery => AskQuery(new PollQuery(ActionParameters.QueryId(request)), s => Reply.Success(new JsonObject
            {
                ["query_id"] = s.QueryId,
                ["query_kind"] = s.QueryKind,
                ["query_state"] = s.State.ToWireName(),
                ["progress"] = s.Progress.ToJson(),
            })),
            ActionNames.GetQueryKind => AskQuery(new GetQueryKind(ActionParameters.QueryId(request)), s => Reply.Success(new JsonObject
            {
                ["query_id"] = s.QueryId,
                ["query_kind"] = s.QueryKind,
            })),
            ActionNames.GetQueryParams => AskQuery(new GetQueryParams(ActionParameters.QueryId(request)), s => Reply.Success(new JsonObject
            {
                ["query_id"] = s.QueryId,
                ["query_params"] = s.Parameters?.DeepClone(),
            })),
            ActionNames.GetSqlForQueryResult => AskQuery(new GetResultSql(ActionParameters.QueryId(request), Geo: false), s =>
                s.State != QueryState.Completed || s.Sql is null
                    ? Reply.QueryNotReady(s.QueryId, s.State)
                    : Reply.Success(new JsonObject { ["query_id"] = s.QueryId, ["query_state"] = "completed", ["sql"] = s.Sql })),
            ActionNames.GetGeoSqlForQueryResult => AskQuery(new GetResultSql(ActionParameters.QueryId(request), Geo: true), s =>
                s.Error == QueryStatus.NoGeoJson ? Reply.NoGeoJsonRepresentation(s.QueryId)
                : s.State != QueryState.Completed || s.Sql is null ? Reply.QueryNotReady(s.QueryId, s.State)
                : Reply.Success(new JsonObject
                {
                    ["query_id"] = s.QueryId, ["query_state"] = "completed", ["sql"] = s.Sql, ["aggregation_unit"] = s.AggregationUnit,
                })),
            ActionNames.CancelQuery => AskQuery(new CancelQuery(ActionParameters.QueryId(request)), s =>
                s.State == QueryState.Cancelled
                    ? Reply.Success(new JsonObject { ["query_id"] = s.QueryId, ["query_state"] = "cancelled" })
                    : StateError(s, "so it cannot be cancelled")),
            ActionNames.ResetQuery => AskQuery(new ResetQuery(ActionParameters.QueryId(request)), s =>
                s.State == QueryState.Known
                    ? Reply.Success(new JsonObject { ["query_id"] = s.QueryId, ["query_state"] = "known" })
                    : StateError(s, s.State == QueryState.ResetFailed ? $"({s.Error})" : "so it cannot be reset")),
            _ => Task.FromResult(Reply.WrongArguments(request.Action)),
        };
    }

    private static Reply StateError(QueryStatus s, string why) =>
        Reply.Error($"Query with id '{s.QueryId}' {s.State.Description()}, {why}.",
            new JsonObject { ["query_id"] = s.QueryId, ["query_state"] = s.State.ToWireName() });

    /// <summary>
    /// Every query command is idempotent, so an unanswered one is sent again: a message that went to a node in the
    /// moment it died is lost (delivery is at most once), and the retry reaches the query on its new node.
    /// </summary>
    private async Task<QueryStatus> AskQueryActor(IWithQueryId command)
    {
        var perAttempt = _settings.QueryAskTimeout / _settings.QueryAskAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _region.Ask<QueryStatus>(command, perAttempt);
            }
            catch (AskTimeoutException) when (attempt < _settings.QueryAskAttempts)
            {
                _log.Info("No answer from query {0} within {1}; asking again", command.QueryId, perAttempt);
            }
        }
    }

    private async Task<Reply> AskQuery(IWithQueryId command, Func<QueryStatus, Reply> success)
    {
        var status = await AskQueryActor(command);
        if (!status.Known) return Reply.Awol(status.QueryId);
        if (status.Error == QueryStatus.PersistenceUnavailable) return PersistenceUnavailable(status.QueryId);
        return success(status);
    }

    private static Reply PersistenceUnavailable(string queryId) =>
        Reply.Error("Could not record the query's state (the coordination store is unavailable); please retry.",
            new JsonObject { ["query_id"] = queryId });

    private async Task<Reply> RunQueryAsync(JsonObject parameters)
    {
        var parsed = QueryCatalog.Parse(parameters);
        if (parsed.Query is not { } query) return Reply.ParameterValidationFailed(parameters, parsed.ValidationErrors!);
        // dummy_delay: FlowKit sleeps while it builds the object, before it answers; here without holding a thread.
        if (query.ReplyDelay > TimeSpan.Zero) await Task.Delay(query.ReplyDelay);
        var status = await AskQueryActor(new RunQuery(query.QueryId, (JsonObject)parameters.DeepClone()));
        if (status.Error == QueryStatus.PersistenceUnavailable) return PersistenceUnavailable(status.QueryId);
        if (!status.Known) return Reply.UnableToCreateQueryObject(status.Error ?? "the query could not be registered");
        return Reply.Success(new JsonObject { ["query_id"] = status.QueryId, ["progress"] = status.Progress.ToJson() });
    }

    private static Reply AggregationUnit(JsonObject parameters)
    {
        var parsed = QueryCatalog.Parse(parameters);
        return parsed.Query is { } query
            ? Reply.Success(new JsonObject { ["aggregation_unit"] = query.AggregationUnit })
            : Reply.ParameterValidationFailed(parameters, parsed.ValidationErrors!);
    }

    private static Reply Geography(JsonObject parameters)
    {
        var parsed = QueryCatalog.Parse(new JsonObject { ["query_kind"] = "geography", ["aggregation_unit"] = parameters["aggregation_unit"]?.DeepClone() });
        if (parsed.Query?.BuildGeoJsonSql("") is not { } sql)
            return Reply.GeographyValidationFailed(parsed.ValidationErrors ?? new JsonObject());
        return Reply.Success(new JsonObject { ["query_state"] = "completed", ["sql"] = sql });
    }

    private async Task<Reply> AvailableDatesAsync()
    {
        var now = DateTimeOffset.UtcNow;
        if (_datesCache is not { } cached || now - cached.At > _settings.AvailableDatesCacheTtl || cached.Dates.IsFaulted)
        {
            cached = (now, _reads.AvailableDatesAsync(CancellationToken.None));
            _datesCache = cached;
        }
        var dates = await cached.Dates;
        var payload = new JsonObject();
        foreach (var (type, list) in dates) payload[type] = new JsonArray(list.Select(d => (JsonNode)d!).ToArray());
        return Reply.Success(payload);
    }

    private async Task<Reply> ListQaChecksAsync()
    {
        var kinds = await _reads.QaCheckKindsAsync(CancellationToken.None);
        return Reply.Success(new JsonObject
        {
            ["available_qa_checks"] = new JsonArray(kinds.Select(k => (JsonNode)new JsonObject
            {
                ["cdr_type"] = k.CdrType,
                ["type_of_query_or_check"] = k.TypeOfQueryOrCheck,
            }).ToArray()),
        });
    }

    private async Task<Reply> QaChecksAsync(JsonObject parameters)
    {
        var errors = new JsonObject();
        DateOnly? Date(string key)
        {
            if (parameters[key] is JsonValue v && v.TryGetValue<string>(out var text)
                && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return DateOnly.FromDateTime(parsed);
            errors[key] = new JsonArray("Not a valid date.");
            return null;
        }
        string? Text(string key, IReadOnlyList<string>? allowed = null)
        {
            if (parameters[key] is JsonValue v && v.TryGetValue<string>(out var text) && (allowed is null || allowed.Contains(text)))
                return text;
            errors[key] = new JsonArray(allowed is null ? "Not a valid string." : $"Must be one of: {string.Join(", ", allowed)}.");
            return null;
        }
        var start = Date("start_date");
        var end = Date("end_date");
        var cdrType = Text("cdr_type", FlowDbReads.CdrTypes);
        var checkType = Text("check_type");
        if (errors.Count > 0) return Reply.ParameterValidationFailed(parameters, errors);
        var checks = await _reads.QaChecksAsync(start!.Value, end!.Value, cdrType!, checkType!, CancellationToken.None);
        return Reply.Success(new JsonObject
        {
            ["qa_checks"] = new JsonArray(checks.Select(c => (JsonNode)new JsonObject
            {
                ["cdr_date"] = c.CdrDate,
                ["outcome"] = c.Outcome,
                ["type_of_query_or_check"] = c.TypeOfQueryOrCheck,
            }).ToArray()),
        });
    }
}
