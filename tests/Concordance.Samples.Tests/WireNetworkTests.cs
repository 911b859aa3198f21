using Bank;
using Xunit;

namespace Concordance.Samples.Tests;

/// <summary>The simulated wire network over real HTTP on 127.0.0.1, through the gateway's client.</summary>
public sealed class WireNetworkTests
{
    [Fact]
    public async Task Given_the_network_when_a_wire_goes_to_a_member_bank_then_it_is_approved()
    {
        await using var network = SimulatedWireNetwork.Start();
        using var http = new HttpClient { BaseAddress = network.BaseAddress };

        var answer = await new WireNetworkClient(http).SettleAsync("WT-1", new SettlementRequest("ABC123", 2500m, "021000021", "987654321"), CancellationToken.None);

        Assert.True(answer.Approved);
        Assert.Equal(["WT-1 021000021"], network.Requests);
    }

    [Fact]
    public async Task Given_the_network_when_a_wire_goes_to_routing_000000000_then_it_is_declined_with_the_reason()
    {
        await using var network = SimulatedWireNetwork.Start();
        using var http = new HttpClient { BaseAddress = network.BaseAddress };

        var answer = await new WireNetworkClient(http).SettleAsync("WT-2", new SettlementRequest("ABC123", 1000m, "000000000", "123456789"), CancellationToken.None);

        Assert.False(answer.Approved);
        Assert.Contains("000000000", answer.Note);
    }

    [Fact]
    public async Task Given_a_settled_wire_when_the_gateway_asks_again_then_the_network_repeats_its_first_answer()
    {
        await using var network = SimulatedWireNetwork.Start();
        using var http = new HttpClient { BaseAddress = network.BaseAddress };
        var client = new WireNetworkClient(http);
        var first = await client.SettleAsync("WT-3", new SettlementRequest("ABC123", 10m, "000000000", "1"), CancellationToken.None);

        var again = await client.SettleAsync("WT-3", new SettlementRequest("ABC123", 10m, "021000021", "1"), CancellationToken.None);

        Assert.Equal(first, again);
        Assert.False(again.Approved);
    }
}
