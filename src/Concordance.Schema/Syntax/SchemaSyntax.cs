using System.Collections.Generic;

namespace Concordance.Schema.Syntax;

// The syntax tree of one .concordance file. The parser always returns a tree, however broken
// the input: missing pieces are null or empty, and each problem is a diagnostic beside the tree.

/// <summary>A name as written in the file, with its span.</summary>
/// <param name="Text">The identifier's text; empty when the parser had to invent a missing name.</param>
/// <param name="Span">Where the name is written.</param>
public sealed record NameSyntax(string Text, SourceSpan Span)
{
    /// <summary>True when the identifier was missing and the parser recovered without it.</summary>
    public bool IsMissing => Text.Length == 0;

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>The kind of a type reference.</summary>
public enum TypeSyntaxKind
{
    /// <summary>A built-in type or a <c>record</c>/<c>enum</c> of the file, by name.</summary>
    Named,
    /// <summary><c>T?</c></summary>
    Nullable,
    /// <summary><c>list&lt;T&gt;</c></summary>
    List,
    /// <summary><c>map&lt;K, V&gt;</c>; only <c>string</c> keys are valid.</summary>
    Map,
}

/// <summary>A type as written: <c>decimal</c>, <c>string?</c>, <c>list&lt;Line&gt;</c>, <c>map&lt;string, decimal&gt;</c>.</summary>
/// <param name="Kind">Which shape this is.</param>
/// <param name="Name">For <see cref="TypeSyntaxKind.Named"/>: the type's name.</param>
/// <param name="Arguments">For nullable and list: one element; for map: key then value.</param>
/// <param name="Span">The whole type reference.</param>
public sealed record TypeSyntax(TypeSyntaxKind Kind, NameSyntax? Name, IReadOnlyList<TypeSyntax> Arguments, SourceSpan Span);

/// <summary>A field of a message, record or state: <c>amount: decimal</c>.</summary>
/// <param name="Name">The field's name as written (camelCase by convention).</param>
/// <param name="Type">The field's type; null when it is missing.</param>
/// <param name="Doc">The <c>///</c> comment text above or before the field, without the slashes.</param>
/// <param name="Span">The whole field.</param>
public sealed record FieldSyntax(NameSyntax Name, TypeSyntax? Type, string? Doc, SourceSpan Span);

/// <summary>What kind of top-level declaration a <see cref="DeclarationSyntax"/> is.</summary>
public enum DeclarationKind
{
    /// <summary><c>command Name { fields }</c></summary>
    Command,
    /// <summary><c>event Name [vN] { fields }</c></summary>
    Event,
    /// <summary><c>record Name { fields }</c></summary>
    Record,
    /// <summary><c>enum Name { A, B }</c></summary>
    Enum,
    /// <summary><c>aggregate Name { key …; state {…}; handle C -&gt; E… }</c></summary>
    Aggregate,
    /// <summary><c>projector Name { on E… }</c></summary>
    Projector,
    /// <summary><c>process Name { key …; state {…}; start on …; on …; end on …; send … }</c></summary>
    Process,
    /// <summary><c>gateway Name { on E…; emit E… }</c></summary>
    Gateway,
    /// <summary><c>upcast Name vN -&gt; vM</c></summary>
    Upcast,
}

/// <summary>A top-level declaration.</summary>
/// <param name="Kind">Which declaration.</param>
/// <param name="Name">Its name (for an upcast: the event's name).</param>
/// <param name="Doc">The <c>///</c> comment before it, without the slashes; lines joined with <c>\n</c>.</param>
/// <param name="Span">The whole declaration, keyword to closing brace.</param>
public abstract record DeclarationSyntax(DeclarationKind Kind, NameSyntax Name, string? Doc, SourceSpan Span);

/// <summary><c>command</c>, <c>event</c> or <c>record</c>: a named list of fields.</summary>
/// <param name="Version">For events: the declared version (<c>v2</c> → 2); null when not written (version 1).</param>
/// <param name="VersionSpan">Where the version is written, if it is.</param>
/// <param name="Fields">The fields in schema order.</param>
public sealed record MessageSyntax(
    DeclarationKind Kind, NameSyntax Name, string? Doc, SourceSpan Span,
    int? Version, SourceSpan? VersionSpan, IReadOnlyList<FieldSyntax> Fields)
    : DeclarationSyntax(Kind, Name, Doc, Span)
{
    /// <summary>The effective version: the declared one, or 1.</summary>
    public int EffectiveVersion => Version ?? 1;
}

/// <summary>A member of an <c>enum</c>.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Doc">Its <c>///</c> documentation, if any.</param>
/// <param name="Span">Where it stands (the <c>fallback</c> keyword included).</param>
/// <param name="IsFallback">
/// Declared <c>fallback Name</c>: a stored value this build does not know reads as this member instead of failing.
/// </param>
public sealed record EnumMemberSyntax(NameSyntax Name, string? Doc, SourceSpan Span, bool IsFallback = false);

/// <summary><c>enum Name { A, B, C }</c>, or <c>enum Name { A, B, fallback Unknown }</c></summary>
public sealed record EnumSyntax(NameSyntax Name, string? Doc, SourceSpan Span, IReadOnlyList<EnumMemberSyntax> Members)
    : DeclarationSyntax(DeclarationKind.Enum, Name, Doc, Span)
{
    /// <summary>The member declared <c>fallback</c> (the first, if several are), or null.</summary>
    public EnumMemberSyntax? Fallback
    {
        get
        {
            foreach (var member in Members) if (member.IsFallback) return member;
            return null;
        }
    }
}

/// <summary><c>handle Command -&gt; Event1, Event2</c> inside an aggregate.</summary>
public sealed record HandleSyntax(NameSyntax Command, IReadOnlyList<NameSyntax> Events, SourceSpan Span);

/// <summary><c>aggregate Name { key k; state { … }; handle … }</c></summary>
/// <param name="Key">The key field's name (<c>key accountNumber</c>); null when missing.</param>
/// <param name="State">The state's fields; empty when there is no <c>state</c> block.</param>
/// <param name="Handles">The <c>handle</c> clauses in order.</param>
public sealed record AggregateSyntax(
    NameSyntax Name, string? Doc, SourceSpan Span,
    NameSyntax? Key, IReadOnlyList<FieldSyntax> State, IReadOnlyList<HandleSyntax> Handles)
    : DeclarationSyntax(DeclarationKind.Aggregate, Name, Doc, Span);

/// <summary><c>projector Name v2 { on E1, E2 }</c></summary>
/// <param name="On">The events it projects.</param>
/// <param name="Version">The declared version (<c>v2</c> → 2); null when not written (version 1).</param>
/// <param name="VersionSpan">Where the version is written, if it is.</param>
public sealed record ProjectorSyntax(NameSyntax Name, string? Doc, SourceSpan Span, IReadOnlyList<NameSyntax> On, int? Version = null, SourceSpan? VersionSpan = null)
    : DeclarationSyntax(DeclarationKind.Projector, Name, Doc, Span)
{
    /// <summary>The version the read models are built with: the declared one, or 1.</summary>
    public int EffectiveVersion => Version ?? 1;
}

/// <summary><c>process Name { key k; state {…}; start on …; on …; end on …; send … }</c></summary>
/// <param name="Key">The correlation key field every handled event carries.</param>
/// <param name="State">The state's fields.</param>
/// <param name="StartOn">Events that start an instance.</param>
/// <param name="On">Events that advance a running instance.</param>
/// <param name="EndOn">Events that end an instance.</param>
/// <param name="Send">Commands the process may send.</param>
public sealed record ProcessSyntax(
    NameSyntax Name, string? Doc, SourceSpan Span,
    NameSyntax? Key, IReadOnlyList<FieldSyntax> State,
    IReadOnlyList<NameSyntax> StartOn, IReadOnlyList<NameSyntax> On, IReadOnlyList<NameSyntax> EndOn,
    IReadOnlyList<NameSyntax> Send)
    : DeclarationSyntax(DeclarationKind.Process, Name, Doc, Span);

/// <summary><c>gateway Name { on E…; emit E…; send C… }</c></summary>
/// <param name="On">Events the gateway reacts to.</param>
/// <param name="Emit">External events the gateway may record.</param>
/// <param name="Send">Commands the gateway may send.</param>
public sealed record GatewaySyntax(
    NameSyntax Name, string? Doc, SourceSpan Span,
    IReadOnlyList<NameSyntax> On, IReadOnlyList<NameSyntax> Emit, IReadOnlyList<NameSyntax> Send)
    : DeclarationSyntax(DeclarationKind.Gateway, Name, Doc, Span);

/// <summary><c>upcast AccountCreated v1 -&gt; v2</c>: the user supplies a pure function from one version to the next.</summary>
/// <param name="From">The older version.</param>
/// <param name="To">The newer version (From + 1 for a valid chain).</param>
public sealed record UpcastSyntax(NameSyntax Name, string? Doc, SourceSpan Span, int? From, int? To)
    : DeclarationSyntax(DeclarationKind.Upcast, Name, Doc, Span);

/// <summary>One parsed <c>.concordance</c> file.</summary>
/// <param name="Path">The file's path as given to the parser.</param>
/// <param name="Namespace">The dotted namespace from <c>namespace A.B;</c>, null when missing.</param>
/// <param name="Declarations">Every declaration the parser could recover, in file order.</param>
/// <param name="Diagnostics">Syntax diagnostics (semantic ones come from <c>SchemaChecker</c>).</param>
/// <param name="Lines">Maps offsets to lines and columns.</param>
public sealed record SchemaFile(
    string Path, NameSyntax? Namespace, IReadOnlyList<DeclarationSyntax> Declarations,
    IReadOnlyList<SchemaDiagnostic> Diagnostics, LineMap Lines);
