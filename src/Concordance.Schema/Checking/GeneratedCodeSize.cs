using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;

namespace Concordance.Schema.Checking;

/// <summary>
/// What the generated code of a schema costs the compiler, so a schema too large to build is refused with a schema
/// diagnostic instead of thousands of compiler errors (CC0028: a bounded table of the assembly) or a build that takes
/// gigabytes and minutes (CC0029: <see cref="BuildSizeOf"/>).
/// </summary>
/// <remarks>
/// The user-string heap holds every distinct <c>"…"</c> literal of an assembly (UTF-16, a length prefix and a terminal
/// byte) and is limited to 0xFFFFFF bytes (CS8103). The generated code quotes names only: each message's, record's and
/// state's qualified name and its fields' JSON names (a nullable one with a trailing <c>?</c>) for its JSON shape, each
/// enum's qualified name and members, each message's and component's schema name, and a component's dispatch error
/// texts; and the compiler adds, for each record's <c>ToString</c>, its name and one text per property. This collects
/// every such string the schema could produce, distinct, plus <see cref="FixedTextBytes"/> for the generated code's
/// constant texts: an upper bound. It follows the emitters: when they quote more, add it here (a test
/// compares this figure with the heap of the compiled output).
/// </remarks>
internal static class GeneratedCodeSize
{
    /// <summary>The user-string heap's limit: 0xFFFFFF bytes (CS8103).</summary>
    public const long MaxUserStringBytes = 0xFFFFFF;

    /// <summary>Room for the constant texts generated code writes (<c>"."</c> and the like), and the heap's own first byte.</summary>
    private const long FixedTextBytes = 1_024;

    /// <summary>
    /// The most fields and generated types the schemas of one project may have together (CC0029). The C# compiler's
    /// memory grows with them, by about 44 KB for each field or generated type on top of some 470 MB (measured with
    /// <c>benchmarks/large-schema/run.sh</c>, the SDK's analyzers on): at this limit a project of records of 20 fields
    /// builds in 1.5–1.6 GB and 83–89 s of CPU time; 6,215 such records took 7 GB.
    /// </summary>
    public const int MaxBuildSize = 24_000;

    /// <summary>
    /// The fields of the messages, records and states of <paramref name="file"/> and the C# types it generates (each
    /// message with its JSON converter, each decision, base class, state, scenario…, and the schema class): what the
    /// build-size limit counts, and the first declaration past <see cref="MaxBuildSize"/> if the file alone passes it.
    /// </summary>
    public static BuildSize BuildSizeOf(SchemaFile file)
    {
        var types = GeneratedTypes.Of(file).Where(t => !t.IsNamespace).ToList();
        var declarations = file.Declarations;
        var starts = declarations.Select(d => d.Span.Start).ToArray();
        // Each type belongs to the declaration it is written in (its name, or a handle in its body); the schema class,
        // always first, to none.
        var own = new int[declarations.Count];
        for (var i = 1; i < types.Count; i++)
        {
            var index = Array.BinarySearch(starts, types[i].At.Start);
            if (index < 0) index = ~index - 1;
            if (index >= 0) own[index]++;
        }
        var fields = 0;
        var total = Math.Min(types.Count, 1);
        DeclarationSyntax? firstOver = null;
        for (var d = 0; d < declarations.Count; d++)
        {
            // A repeated declaration generates nothing (CC0003), so its fields cost nothing either.
            var ownFields = own[d] == 0 ? 0 : FieldsOf(declarations[d]);
            fields += ownFields;
            total += own[d] + ownFields;
            if (firstOver is null && total > MaxBuildSize) firstOver = declarations[d];
        }
        return new BuildSize(fields, types.Count, firstOver);
    }

    private static int FieldsOf(DeclarationSyntax declaration) => declaration switch
    {
        MessageSyntax message => message.Fields.Count,
        AggregateSyntax aggregate => aggregate.State.Count,
        ProcessSyntax process => process.State.Count,
        _ => 0,
    };

    /// <summary>An upper bound of the user-string bytes the generated code of <paramref name="file"/> holds.</summary>
    public static long UserStringBytes(SchemaFile file)
    {
        var ns = GeneratedTypes.NamespaceOf(file);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var @event in file.Declarations.OfType<MessageSyntax>().Where(m => m.Kind == DeclarationKind.Event))
        {
            latest[@event.Name.Text] = latest.TryGetValue(@event.Name.Text, out var v) && v > @event.EffectiveVersion ? v : @event.EffectiveVersion;
        }
        foreach (var declaration in file.Declarations)
        {
            var name = declaration.Name.Text;
            var schemaName = ns + "." + name;
            switch (declaration)
            {
                case MessageSyntax message:
                    var typeName = message.Kind == DeclarationKind.Event && message.EffectiveVersion < latest[name] ? GeneratedNames.EventVersion(name, message.EffectiveVersion) : name;
                    texts.Add(schemaName);
                    Shape(texts, ns + "." + typeName, message.Fields);
                    break;
                case AggregateSyntax aggregate:
                    texts.Add(schemaName);
                    texts.Add(schemaName + " does not handle ");
                    texts.Add(schemaName + " does not emit ");
                    Shape(texts, ns + "." + GeneratedNames.State(name), aggregate.State);
                    break;
                case ProcessSyntax process:
                    texts.Add(schemaName);
                    texts.Add(schemaName + " does not listen to ");
                    Shape(texts, ns + "." + GeneratedNames.State(name), process.State);
                    break;
                case ProjectorSyntax or GatewaySyntax:
                    texts.Add(schemaName);
                    break;
                case EnumSyntax @enum:
                    texts.Add(schemaName);
                    foreach (var member in @enum.Members) texts.Add(member.Name.Text);
                    break;
            }
        }
        return FixedTextBytes + texts.Sum(HeapBytes);
    }

    /// <summary>
    /// A record's texts: its JSON shape (qualified name, field names) and what the compiler writes for the record's
    /// <c>ToString</c> (its simple name, <c>"Prop = "</c> and <c>", Prop = "</c> per property).
    /// </summary>
    private static void Shape(HashSet<string> texts, string display, IReadOnlyList<FieldSyntax> fields)
    {
        texts.Add(display);
        texts.Add(display.Substring(display.LastIndexOf('.') + 1));
        foreach (var field in fields)
        {
            texts.Add(field.Type is { Kind: TypeSyntaxKind.Nullable } ? field.Name.Text + "?" : field.Name.Text);
            var property = GeneratedNames.PropertyName(field.Name.Text);
            texts.Add(property + " = ");
            texts.Add(", " + property + " = ");
        }
    }

    /// <summary>What one literal takes in the heap: its UTF-16 bytes and a terminal byte, after their compressed length.</summary>
    private static long HeapBytes(string text)
    {
        long size = 2L * text.Length + 1;
        return size + (size < 0x80 ? 1 : size < 0x4000 ? 2 : 4);
    }
}

/// <summary>What the build-size limit (CC0029) counts in one schema file.</summary>
/// <param name="Fields">The fields of its messages (every version), records and states.</param>
/// <param name="Types">The top-level C# types it generates.</param>
/// <param name="FirstOver">The declaration at which the file alone passes <see cref="GeneratedCodeSize.MaxBuildSize"/>, if it does.</param>
internal sealed record BuildSize(int Fields, int Types, DeclarationSyntax? FirstOver)
{
    /// <summary>Fields and generated types together: the figure the limit applies to.</summary>
    public int Total => Fields + Types;
}
