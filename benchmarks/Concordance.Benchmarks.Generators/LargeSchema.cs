using System.Text;

namespace Concordance.Benchmarks.Generators;

/// <summary>Writes a schema of <c>aggregates × commandsPerAggregate × 2</c> messages (a command and an event each).</summary>
public static class LargeSchema
{
    public static string Create(int aggregates, int commandsPerAggregate)
    {
        var text = new StringBuilder("namespace Large;\n\n");
        text.Append("enum Priority { Low, Normal, High }\n");
        text.Append("record Line { sku: string, quantity: int, price: decimal }\n\n");
        for (var a = 0; a < aggregates; a++)
        {
            for (var c = 0; c < commandsPerAggregate; c++)
            {
                text.Append($"/// Command {c} of aggregate {a}.\n");
                text.Append($"command Do{a}x{c} {{ id{a}: string, amount: decimal, note: string?, at: timestamp, lines: list<Line>, tags: map<string, int>, priority: Priority }}\n");
                text.Append($"event Done{a}x{c} {{ id{a}: string, amount: decimal, note: string?, at: timestamp, lines: list<Line>, tags: map<string, int>, priority: Priority }}\n");
            }
            text.Append($"aggregate Thing{a} {{\n    key id{a}\n    state {{ total: decimal, count: int }}\n");
            for (var c = 0; c < commandsPerAggregate; c++) text.Append($"    handle Do{a}x{c} -> Done{a}x{c}\n");
            text.Append("}\n\n");
        }
        return text.ToString();
    }
}
