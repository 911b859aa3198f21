using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Concordance;
using Samples.AllTypes;
using Samples.Notifications;
using Samples.Reporting;
using Samples.Shipping;
using Samples.Stateless;
using Samples.Versions;

namespace Samples.Versions
{
    public sealed partial record RegisteredV1
    {
        /// <summary>Version 2 added an optional email.</summary>
        /// <returns>The same registration as v2, without email.</returns>
        public partial RegisteredV2 Upcast() => new(Name, null);
    }

    public sealed partial record RegisteredV2
    {
        /// <summary>Version 3 added tags.</summary>
        /// <returns>The same registration as v3, without tags.</returns>
        public partial Registered Upcast() => new(Name, Email, []);
    }
}

namespace SamplesApp
{
    /// <summary>Stores payloads and counts them.</summary>
    public sealed class Vault : VaultAggregateBase
    {
        /// <inheritdoc />
        public override StoreDecision Handle(Store command, VaultState? state) => new Stored(command.Id, command.Payload);

        /// <inheritdoc />
        public override VaultState? Apply(Stored @event, VaultState? state) => new((state?.Count ?? 0) + 1, @event.Payload);
    }

    /// <summary>Registers people.</summary>
    public sealed class Person : PersonAggregateBase
    {
        /// <inheritdoc />
        public override RegisterDecision Handle(Register command, PersonState? state) =>
            state is null ? new Registered(command.Name, null, []) : Reject("Already registered.");

        /// <inheritdoc />
        public override PersonState? Apply(Registered @event, PersonState? state) => new();
    }

    /// <summary>Answers even pings with a ping and a pong, odd ones with a pong.</summary>
    public sealed class Pinger : PingerAggregateBase
    {
        /// <inheritdoc />
        public override PingDecision Handle(Ping command, PingerState? state) =>
            command.Id % 2 == 0 ? Emit(new Pinged(command.Id), new Ponged(command.Id)) : new Ponged(command.Id);

        /// <inheritdoc />
        public override PingerState? Apply(Pinged @event, PingerState? state) => state ?? new PingerState();

        /// <inheritdoc />
        public override PingerState? Apply(Ponged @event, PingerState? state) => state;
    }

    /// <summary>Packs, then ships, then completes.</summary>
    public sealed class Fulfilment : FulfilmentProcessManagerBase
    {
        /// <inheritdoc />
        public override FulfilmentOutcome Handle(OrderPlaced @event, FulfilmentState? state) =>
            Continue(new FulfilmentState(@event.Items, ShipmentStatus.Packing), new Pack(@event.OrderId));

        /// <inheritdoc />
        public override FulfilmentOutcome Handle(Packed @event, FulfilmentState? state) =>
            Continue(state! with { Status = ShipmentStatus.Shipped }, new Ship(@event.OrderId));

        /// <inheritdoc />
        public override FulfilmentOutcome Handle(Shipped @event, FulfilmentState? state) => Complete();
    }

    /// <summary>Signs users up and keeps the notes sent to them.</summary>
    public sealed class User : UserAggregateBase
    {
        /// <inheritdoc />
        public override SignUpDecision Handle(SignUp command, UserState? state) =>
            state is null ? new UserSignedUp(command.UserId, command.Email) : Reject("Already signed up.");

        /// <inheritdoc />
        public override NotifyDecision Handle(Notify command, UserState? state) =>
            state is null ? Reject("No such user.") : new Notified(command.UserId, command.Text);

        /// <inheritdoc />
        public override UserState? Apply(UserSignedUp @event, UserState? state) => new();

        /// <inheritdoc />
        public override UserState? Apply(Notified @event, UserState? state) => state;
    }

    /// <summary>Sends welcome mails: reports a bounce as an event, and notifies the user either way.</summary>
    public sealed class Mailer : MailerGatewayBase
    {
        /// <inheritdoc />
        public override async Task HandleAsync(UserSignedUp @event, MailerGatewayContext context, CancellationToken cancellationToken)
        {
            var delivered = @event.Email.Contains('@');
            if (!delivered) await context.EmitAsync(new EmailBounced(@event.UserId, "invalid address"), cancellationToken);
            await context.SendAsync(new Notify(@event.UserId, delivered ? "welcome mail sent" : "welcome mail bounced"), cancellationToken);
        }
    }

    /// <summary>Sums sales per store.</summary>
    public sealed class SalesTotals : SalesTotalsProjectorBase
    {
        /// <inheritdoc />
        public override ValueTask Handle(SaleRecorded @event, ProjectionContext context) => Add(context, @event.Store, @event.Amount);

        /// <inheritdoc />
        public override ValueTask Handle(SaleRefunded @event, ProjectionContext context) => Add(context, @event.Store, -@event.Amount);

        private static async ValueTask Add(ProjectionContext context, string store, decimal amount)
        {
            var total = await context.GetAsync<StoreTotal>(store) ?? new StoreTotal(0m);
            context.Set(store, new StoreTotal(total.Amount + amount));
        }
    }

    /// <summary>The total sales of one store.</summary>
    /// <param name="Amount">The sum.</param>
    public sealed record StoreTotal(decimal Amount);
}
