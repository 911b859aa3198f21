using Concordance;
using Concordance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Samples.Notifications;
using Xunit;

namespace Concordance.Generators.Tests;

/// <summary>
/// A generated gateway (<c>Mailer</c> of Schemas/Notifications.concordance, implemented in Components/Samples.cs) run by
/// the real runtime: its workers started from <c>AddGeneratedComponents()</c>, its typed context wrapping the runner's.
/// </summary>
public sealed class GatewayRunTests
{
    private static readonly StreamId Alice = new("Samples.Notifications.User", "alice");

    [Fact]
    public async Task Given_the_generated_Mailer_gateway_running_when_a_user_signs_up_with_a_bad_address_then_its_declared_event_is_recorded_and_its_declared_command_applied()
    {
        var services = new ServiceCollection();
        services.AddConcordance(o => o.UseInMemory()).AddGeneratedComponents();
        await using var provider = services.BuildServiceProvider();
        var workers = provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers) await worker.StartAsync(CancellationToken.None);
        var store = provider.GetRequiredService<IConcordanceStore>();
        var serializer = provider.GetRequiredService<MessageSerializer>();

        try
        {
            var signedUp = await provider.GetRequiredService<ICommandBus>().SendAsync(new SignUp("alice", "no-at-sign"));
            Assert.True(signedUp.IsAccepted, signedUp.RejectionReason);

            // The gateway's SendAsync(Notify) reaches the User aggregate through the bus: its stream grows to version 2.
            var stream = await Eventually(async () => await ReadAsync(store, Alice), events => events.Count == 2, "the Notify command the gateway sends");
            Assert.Equal(new Notified("alice", "welcome mail bounced"), serializer.Deserialize(stream[1]));
            Assert.Equal(stream[0].CorrelationId, stream[1].CorrelationId);

            // Its EmitAsync(EmailBounced) lands in the gateway's own stream, caused by the event it reacted to.
            var emitted = await ReadAsync(store, new StreamId("Samples.Notifications.Mailer", "alice"));
            var bounce = Assert.Single(emitted);
            Assert.Equal(new EmailBounced("alice", "invalid address"), serializer.Deserialize(bounce));
            Assert.Equal(stream[0].Id, bounce.CausationId);
        }
        finally
        {
            foreach (var worker in workers) await worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<List<StoredEvent>> ReadAsync(IConcordanceStore store, StreamId stream)
    {
        var events = new List<StoredEvent>();
        await foreach (var stored in store.Events.ReadStreamAsync(stream, 1)) events.Add(stored);
        return events;
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after 30 s waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
