using FlowAkka.Protocol;
using Xunit;

namespace FlowAkka.Protocol.Tests;

public class QueryStateSpecs
{
    [Fact]
    public void Wire_names_are_FlowKits_values_and_parse_back()
    {
        Assert.Equal(
            ["known", "queued", "executing", "completed", "errored", "cancelled", "resetting", "reset_failed"],
            QueryStates.All.Select(s => s.ToWireName()));
        foreach (var state in QueryStates.All)
        {
            Assert.True(QueryStates.TryParseWireName(state.ToWireName(), out var parsed));
            Assert.Equal(state, parsed);
        }
        Assert.False(QueryStates.TryParseWireName(QueryStates.Awol, out _));
        Assert.Equal("awol", QueryStates.Awol);
    }
}
