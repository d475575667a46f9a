// A FlowAPI-like caller: run_query, poll_query until a state, retrying only on the documented retryable errors.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Client;
using FlowAkka.Protocol;

namespace FlowAkka.IntegrationTests.Support;

public sealed class QueryDriver(RequestLedger ledger, Func<FlowKitClient> connect) : IDisposable
{
    private readonly Ref<FlowKitClient?> _client = new(null);

    public RequestLedger Ledger => ledger;

    public Task<Reply?> SendAsync(string action, JsonObject? parameters = null) => ledger.SendAsync(connect, _client, action, parameters);

    /// <summary>run_query until it is accepted (a success reply with the id); retries retryable errors and lost replies.</summary>
    public async Task<string> RunAsync(JsonObject spec, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Reply? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await SendAsync("run_query", spec);
            if (last is { IsSuccess: true }) return last.Payload["query_id"]!.GetValue<string>();
            if (last is not null && !RequestLedger.IsRetryable(last))
                throw new InvalidOperationException($"run_query refused: {last}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"run_query not accepted within {timeout}; last reply: {last}");
    }

    /// <summary>poll_query until the state is one of <paramref name="states"/>; returns that reply.</summary>
    public async Task<Reply> PollUntilAsync(string queryId, TimeSpan timeout, params string[] states)
    {
        var deadline = DateTime.UtcNow + timeout;
        Reply? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await SendAsync("poll_query", new JsonObject { ["query_id"] = queryId });
            if (reply is not null) last = reply;
            if (reply is { IsSuccess: true } && states.Contains(State(reply))) return reply;
            if (reply is { IsSuccess: false } && !RequestLedger.IsRetryable(reply))
                throw new InvalidOperationException($"poll_query {queryId} failed: {reply}");
            await Task.Delay(250);
        }
        throw new TimeoutException($"query {queryId} not in [{string.Join(", ", states)}] within {timeout}; last reply: {last}");
    }

    /// <summary>Until completed: polls, and re-issues run_query when the query errored transiently (QueryActor retries
    /// transient failures on the next run_query). Returns how many extra run_query calls it took.</summary>
    public async Task<int> CompleteAsync(JsonObject spec, string queryId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var reruns = 0;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) throw new TimeoutException($"query {queryId} not completed within {timeout}");
            var reply = await PollUntilAsync(queryId, remaining, "completed", "errored");
            if (State(reply) == "completed") return reruns;
            reruns++;
            if (reruns > 20) throw new InvalidOperationException($"query {queryId} keeps erroring: {reply}");
            // A client backs off: the node fails new work fast for a while after FlowDB was unreachable.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500 * reruns, 3000)));
            await RunAsync(spec, deadline - DateTime.UtcNow);
        }
    }

    public static string State(Reply reply) => reply.Payload["query_state"]?.GetValue<string>() ?? "";

    public void Dispose() => _client.Value?.Dispose();
}
