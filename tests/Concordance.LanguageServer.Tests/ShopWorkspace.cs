namespace Concordance.LanguageServer.Tests;

/// <summary>
/// One server over a project of two schema files in namespace Shop: Orders.concordance (opened by the tests that need
/// it) and Billing.concordance (left closed: the server reads it from disk), which names events Orders declares.
/// </summary>
public sealed class ShopWorkspace : IAsyncLifetime
{
    public const string OrdersText = """
        namespace Shop;

        /// A line of an order.
        record Line { sku: string, quantity: int }
        enum Priority { Low, High, fallback Unknown }

        /// Opens an order.
        command OpenOrder { orderId: string, customer: string, lines: list<Line>, priority: Priority }
        command CloseOrder { orderId: string }
        event OrderOpened { orderId: string, customer: string, lines: list<Line> }
        event OrderClosed { orderId: string, at: timestamp }

        /// The life of one order.
        aggregate Order {
            key orderId
            state { open: bool, lines: map<string, int> }
            handle OpenOrder -> OrderOpened
            handle CloseOrder -> OrderClosed
        }
        """;

    public const string BillingText = """
        namespace Shop;

        command Charge { orderId: string, amount: decimal }
        event Charged { orderId: string, amount: decimal }

        aggregate Billing {
            key orderId
            handle Charge -> Charged
        }

        projector Revenue {
            on Charged
        }

        process Fulfilment {
            key orderId
            start on OrderOpened
            end on OrderClosed
            send Charge
        }

        gateway Mailer {
            on Charged
            send Charge
        }
        """;

    private readonly TestWorkspace _folder = new();

    public LspClient Client { get; private set; } = null!;

    public string Root => _folder.Root;

    public string OrdersPath { get; private set; } = null!;

    public string OrdersUri => TestWorkspace.Uri(OrdersPath);

    public string BillingUri { get; private set; } = null!;

    public static string Orders => OrdersText.Replace("\r\n", "\n");

    public static string Billing => BillingText.Replace("\r\n", "\n");

    public async Task InitializeAsync()
    {
        _folder.Write("Shop.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n");
        OrdersPath = _folder.Write("Orders.concordance", Orders);
        BillingUri = TestWorkspace.Uri(_folder.Write("Billing/Billing.concordance", Billing));
        Client = await LspClient.StartInitializedAsync(_folder.Root);
        await Client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(OrdersUri, Orders));
        await Client.DiagnosticsAsync(OrdersUri, 1);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>A scratch document of the same project and namespace, opened with <paramref name="text"/>.</summary>
    public async Task<string> OpenScratchAsync(string name, string text)
    {
        var uri = TestWorkspace.Uri(Path.Combine(_folder.Root, "Scratch", name + ".concordance"));
        await Client.NotifyAsync("textDocument/didOpen", TestWorkspace.Open(uri, text));
        await Client.DiagnosticsAsync(uri, 1);
        return uri;
    }
}
