using System;
using System.Collections.Generic;
using System.Linq;
using Concordance.Schema.Syntax;
using static Concordance.Schema.Checking.SchemaNames;

namespace Concordance.Schema.Checking;

// Fields and their types.
internal sealed partial class Checker
{
    private void CheckFields(IReadOnlyList<FieldSyntax> fields, string owner, string typeName)
    {
        var seen = new Dictionary<string, FieldSyntax>(StringComparer.Ordinal);
        var properties = new Dictionary<string, FieldSyntax>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var name = field.Name;
            if (name.IsMissing) continue;
            if (seen.TryGetValue(name.Text, out var first))
            {
                Report(SchemaDiagnosticIds.DuplicateName, name.Span,
                    "field '" + Short(name.Text) + "' is declared twice in " + owner + " (first at " + At(first.Name.Span) + "): remove or rename one.");
            }
            else
            {
                seen[name.Text] = field;
                var property = PropertyName(name.Text);
                if (properties.TryGetValue(property, out var clash))
                {
                    Report(SchemaDiagnosticIds.InvalidName, name.Span,
                        "field '" + Short(name.Text) + "' and field '" + Short(clash.Name.Text) + "' of " + owner + " both become the C# property '" + Short(property) + "': rename one.");
                }
                else
                {
                    properties[property] = field;
                    if (property == typeName)
                    {
                        Report(SchemaDiagnosticIds.InvalidName, name.Span,
                            "field '" + Short(name.Text) + "' of " + owner + " becomes the property '" + Short(property) + "', the name of its own generated type, which C# forbids: rename the field.");
                    }
                    else if (ReservedMemberNames.Contains(property))
                    {
                        Report(SchemaDiagnosticIds.InvalidName, name.Span,
                            "field '" + Short(name.Text) + "' of " + owner + " becomes the property '" + property + "', which every generated record already has: rename the field.");
                    }
                }
            }
            if (field.Type is not null) CheckType(field.Type, field, owner);
        }
    }

    private void CheckType(TypeSyntax type, FieldSyntax field, string owner)
    {
        // Iterative walk: the parser bounds depth, but a checker must not trust that.
        var stack = new Stack<TypeSyntax>();
        stack.Push(type);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            switch (current.Kind)
            {
                case TypeSyntaxKind.Named:
                    CheckNamedType(current, field, owner);
                    break;
                case TypeSyntaxKind.Nullable:
                    if (current.Arguments.Count > 0 && current.Arguments[0].Kind == TypeSyntaxKind.Nullable)
                    {
                        Report(SchemaDiagnosticIds.InvalidType, current.Span,
                            "type '" + Display(current) + "' of field '" + Short(field.Name.Text) + "' in " + owner + " is nullable twice: write a single '?'.");
                        var inner = current.Arguments[0];
                        while (inner.Kind == TypeSyntaxKind.Nullable && inner.Arguments.Count > 0) inner = inner.Arguments[0];
                        stack.Push(inner);
                        continue;
                    }
                    break;
                case TypeSyntaxKind.Map:
                    if (current.Arguments.Count > 0)
                    {
                        var key = current.Arguments[0];
                        if (!(key.Kind == TypeSyntaxKind.Named && key.Name?.Text == "string"))
                        {
                            Report(SchemaDiagnosticIds.InvalidType, key.Span,
                                "map key type '" + Display(key) + "' of field '" + Short(field.Name.Text) + "' in " + owner + " is not allowed: map keys are 'string' (write map<string, " + (current.Arguments.Count > 1 ? Display(current.Arguments[1]) : "T") + ">).");
                            if (current.Arguments.Count > 1) stack.Push(current.Arguments[1]);
                            continue;
                        }
                    }
                    break;
            }
            foreach (var argument in current.Arguments) stack.Push(argument);
        }
    }

    private void CheckNamedType(TypeSyntax type, FieldSyntax field, string owner)
    {
        var name = type.Name;
        if (name is null || name.IsMissing || BuiltInTypes.Contains(name.Text)) return;
        if (_declarations.TryGetValue(name.Text, out var declaration))
        {
            if (declaration.Kind is DeclarationKind.Record or DeclarationKind.Enum) return;
            Report(SchemaDiagnosticIds.WrongKind, name.Span,
                "field '" + Short(field.Name.Text) + "' in " + owner + " has type '" + Short(name.Text) + "', which is " + WithArticle(declaration.Kind) + ": a field's type is a built-in type, a record or an enum (declare a 'record' for this shape).");
            return;
        }
        if (name.Text is "list" or "map")
        {
            Report(SchemaDiagnosticIds.InvalidType, name.Span,
                "'" + name.Text + "' needs type arguments in field '" + Short(field.Name.Text) + "' of " + owner + ": write " + (name.Text == "list" ? "list<T>" : "map<string, T>") + ".");
            return;
        }
        var hint = SuggestType(name.Text);
        Report(SchemaDiagnosticIds.UnknownName, name.Span,
            "unknown type '" + Short(name.Text) + "' for field '" + Short(field.Name.Text) + "' in " + owner + ": " +
            (hint is not null ? "did you mean '" + hint + "'?" : "declare 'record " + Short(name.Text) + " { … }' or 'enum " + Short(name.Text) + " { … }', or use a built-in type (string, bool, int, long, decimal, double, guid, timestamp, date, duration, bytes)."));
    }

    private string? SuggestType(string text)
    {
        foreach (var builtIn in BuiltInTypes)
        {
            if (string.Equals(builtIn, text, StringComparison.OrdinalIgnoreCase)) return builtIn;
        }
        foreach (var pair in _declarations)
        {
            if (pair.Value.Kind is DeclarationKind.Record or DeclarationKind.Enum && string.Equals(pair.Key, text, StringComparison.OrdinalIgnoreCase)) return pair.Key;
        }
        return null;
    }
}
