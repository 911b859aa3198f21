using System.Globalization;
using Concordance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop;

// A short story through the runtime: a generic host on a SQLite file, commands through the bus, and the CartSummary
// projector's read model once it has caught up. Every command has a fixed id, so running again on the same file answers
// each command with its first outcome: the log does not grow and the story prints the same.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
builder.Services.AddConcordance(o =>
{
    o.UseSqlite("Data Source=shop.db");
    o.Processing.AddReadModelJson(ShopJson.Default); // read models through source-generated JSON (NativeAOT-ready)
}).AddGeneratedComponents();
using var host = builder.Build();

// `dotnet run -- concordance status` (or `events`, `projections rebuild CartSummary`, `dead-letters list`, `--help`)
// runs an operations command on this app's store and components instead of the story. An app that runs until it is
// stopped needs only `return await host.RunConcordanceCommandsAsync(args);`: other arguments run the host.
if (ConcordanceCommandsHostExtensions.IsConcordanceCommand(args)) return await host.RunConcordanceCommandsAsync(args);

await host.StartAsync();

var bus = host.Services.GetRequiredService<ICommandBus>();
async Task Send(string commandId, string label, ICommand command) =>
    Console.WriteLine($"{label}: {await bus.SendAsync(command, new CommandMetadata { CommandId = commandId })}");

await Send("open-c1", "open c1 for alice", new OpenCart("c1", "alice"));
await Send("add-c1-apple", "add 3 x apple at 0.50", new AddItem("c1", "apple", 3, 0.50m));
await Send("add-c1-pear", "add 2 x pear at 1.25", new AddItem("c1", "pear", 2, 1.25m));
await Send("add-c2-fig", "add 1 x fig to c2", new AddItem("c2", "fig", 1, 2.00m));
await Send("check-out-c1", "check out c1", new CheckOut("c1"));
await Send("add-c1-plum", "add 1 x plum to c1", new AddItem("c1", "plum", 1, 0.80m));

// Projectors run in the background: wait until CartSummary has handled every event stored so far, then read.
await host.Services.GetRequiredService<IProjectionProgress>().WaitForCatchUpAsync("CartSummary");
var cart = await host.Services.GetRequiredService<IReadModels>().GetAsync<CartView>("CartSummary", "c1");
Console.WriteLine(cart is null ? "CartSummary c1: missing"
    : string.Create(CultureInfo.InvariantCulture, $"CartSummary c1: {cart.Customer}, {cart.Items} items, total {cart.Total:0.00}, {(cart.CheckedOut ? "checked out" : "open")}"));

await host.StopAsync();
return cart is { CheckedOut: true } ? 0 : 1;
