using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace FlowAkka.Cluster.Tests.Queries;

/// <summary>Many run_query requests in flight at once: each DEALER socket sends all its requests, then reads the replies.</summary>
internal static class ConcurrentRuns
{
    public static async Task<List<string>> SendAsync(IReadOnlyList<string> endpoints, JsonObject spec, int sockets, int perSocket)
    {
        var body = new ActionRequest("burst", "run_query", spec).ToUtf8Bytes();
        // Each socket blocks on its receives: give it a thread of its own, not one of the thread pool the nodes run on.
        var tasks = Enumerable.Range(0, sockets).Select(i => Task.Factory.StartNew(() =>
        {
            using var dealer = new DealerSocket();
            dealer.Options.Linger = TimeSpan.Zero;
            dealer.Connect(endpoints[i % endpoints.Count]);
            for (var n = 0; n < perSocket; n++) dealer.SendMultipartBytes([], body);
            var ids = new List<string>();
            for (var n = 0; n < perSocket; n++)
            {
                NetMQMessage? reply = null;
                if (!dealer.TryReceiveMultipartMessage(TimeSpan.FromSeconds(60), ref reply) || reply is null)
                    throw new TimeoutException("a run_query got no reply");
                var parsed = Reply.Parse(reply.Last.ToByteArray());
                if (!parsed.IsSuccess) throw new InvalidOperationException(parsed.ToString());
                ids.Add(parsed.Payload["query_id"]!.GetValue<string>());
            }
            return ids;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        return (await Task.WhenAll(tasks)).SelectMany(x => x).ToList();
    }
}
