namespace Concordance.Generators;

/// <summary>Names of the generator's pipeline steps, so tests can prove each one is cached.</summary>
internal static class TrackingNames
{
    /// <summary>Each <c>.concordance</c> file's path and text.</summary>
    public const string SchemaTexts = nameof(SchemaTexts);

    /// <summary>Each file parsed once: its model and its diagnostics together.</summary>
    public const string SchemaAnalyses = nameof(SchemaAnalyses);

    /// <summary>Each file's <see cref="Model.SchemaModel"/>.</summary>
    public const string SchemaModels = nameof(SchemaModels);

    /// <summary>Each file's schema diagnostics.</summary>
    public const string SchemaDiagnostics = nameof(SchemaDiagnostics);

    /// <summary>Each file's contribution to the wiring file.</summary>
    public const string SchemaComponents = nameof(SchemaComponents);

    /// <summary>Every file's contribution, collected.</summary>
    public const string AllSchemaComponents = nameof(AllSchemaComponents);

    /// <summary>User classes deriving from a generated base.</summary>
    public const string Components = nameof(Components);

    /// <summary>Every user component, collected.</summary>
    public const string AllComponents = nameof(AllComponents);

    /// <summary>The input of the wiring file.</summary>
    public const string Wiring = nameof(Wiring);

    /// <summary>Each file's generated type names and its place in the project's order.</summary>
    public const string SchemaClaims = nameof(SchemaClaims);

    /// <summary>Every file's claims, collected.</summary>
    public const string AllSchemaClaims = nameof(AllSchemaClaims);

    /// <summary>Each file's model without the types an earlier file of the project generates.</summary>
    public const string SchemaModelsUnclaimed = nameof(SchemaModelsUnclaimed);

    /// <summary>Every file's generated types with its text: the input of the checks across files.</summary>
    public const string AllSchemaTypes = nameof(AllSchemaTypes);
}
