namespace Concordance.Analyzers.Tests.Schema;

/// <summary>One small schema per diagnostic ID, each breaking exactly one rule.</summary>
internal static class SchemaDiagnosticCases
{
    public const string Path = "/src/Shop/Shop.concordance";

    // Lines: 1 namespace, 2 command, 3 event, 4 aggregate, 5 key, 6 handle, 7 }.
    public const string Base = """
        namespace Shop;
        command Open { id: string }
        event Opened { id: string }
        aggregate Account {
            key id
            handle Open -> Opened
        }

        """;

    // Adds lines 8-20: a second aggregate handling Check and a process Review over them.
    public const string WithProcess = Base + """
        command Check { id: string, caseId: string }
        event Checked { caseId: string, id: string }
        event Done { caseId: string, id: string }
        event Started { caseId: string }
        command Start { caseId: string }
        aggregate Case { key caseId
            handle Check -> Checked, Done
            handle Start -> Started }
        process Review {
            key caseId
            start on Started
            on Checked
            end on Done
            send Check
        }

        """;

    public static readonly (string Id, string Schema)[] All =
    [
        ("CC0001", Base + "command Lost { id string }\n"),
        ("CC0002", Base + "record Receipt { when: Tiemstamp }\n"),
        ("CC0003", Base + "record Opened { x: int }\n"),
        ("CC0004", Base + "command Close { id: string }\n"),
        ("CC0005", Base + "event Seen { id: string }\naggregate Audit {\n    key id\n    handle Open -> Seen\n}\n"),
        ("CC0006", Base + "command Log { id: string }\naggregate Audit {\n    key id\n    handle Log -> Opened\n}\n"),
        ("CC0007", Base.Replace("event Opened { id: string }", "event Opened { name: string }")),
        ("CC0008", WithProcess.Replace("    on Checked", "    on Checked, Opened")),
        ("CC0009", WithProcess.Replace("send Check", "send Check, Close") + "command Close { caseId: string }\n"),
        ("CC0010", Base + "event Closed { id: string }\nprojector Ledger { on Opened, Closed }\n"),
        ("CC0011", WithProcess.Replace("    end on Done", "    on Done")),
        ("CC0012", Base + "event Opened v3 { id: string }\n"),
        ("CC0013", Base + "record Limits { byId: map<int, decimal> }\n"),
        ("CC0014", Base + "record Last { opened: Opened }\n"),
        ("CC0015", Base + "record class { x: int }\n"),
        ("CC0027", Base + "record R" + new string('a', 1999) + " { x: int }\n"),
        ("CC0028", Base + Records(count: 1_000, fields: 20)),
        ("CC0029", Base + Records(count: 1_100, fields: 20, nameLength: 0)),
    ];

    /// <summary>The diagnostics only the files of a project together show: each case is several files.</summary>
    public static readonly (string Id, (string Path, string Text)[] Files)[] AcrossFiles =
    [
        ("CC0026", [("/src/Shop/Orders.concordance", Base), ("/src/Shop/Billing/Billing.concordance", Base.Replace("aggregate Account", "aggregate Ledger"))]),
    ];

    /// <summary>
    /// <paramref name="count"/> records of <paramref name="fields"/> string and decimal fields each, one per line, every field
    /// name distinct and <paramref name="nameLength"/> characters long; with a length of 0, the same short names in every record.
    /// </summary>
    public static string Records(int count, int fields, int nameLength = 400)
    {
        var sb = new System.Text.StringBuilder();
        for (var r = 0; r < count; r++)
        {
            sb.Append("record Record").Append(r).Append(" { ");
            for (var f = 0; f < fields; f++)
            {
                var name = nameLength == 0 ? "field" + f : ("field" + f + "_" + r + "_").PadRight(nameLength, 'x');
                sb.Append(f == 0 ? "" : ", ").Append(name).Append(f % 2 == 0 ? ": string" : ": decimal");
            }
            sb.Append(" }\n");
        }
        return sb.ToString();
    }
}
