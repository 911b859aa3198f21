using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// Where the analysis gets the bodies it reads. Binding a body is most of what the analysis costs, and
/// the compiler binds every body anyway: when it has bound a method before the analysis needs it, the
/// bound body is read from the semantic model the compiler left it in; otherwise the body is bound
/// once, without nullable analysis.
/// </summary>
internal sealed partial class PurityAnalysis
{
    private static volatile bool s_modelsWithoutNullableAnalysisUnavailable;

    // Per method the compiler has bound, the model holding its bound body. Weak: the driver lets go of a
    // tree's model once the tree is analysed, and holding every model would hold every bound body.
    private readonly ConcurrentDictionary<IMethodSymbol, WeakReference<SemanticModel>> _boundModels = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, WeakReference<SemanticModel>> _lastBoundModel = new();
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _unboundModels = new();

    /// <summary>Records that <paramref name="model"/> holds the body the compiler bound for <paramref name="method"/>.</summary>
    private void NoteBound(IMethodSymbol method, SemanticModel model)
    {
        // The methods of one tree mostly share one model: share the weak reference too.
        var tree = model.SyntaxTree;
        if (!_lastBoundModel.TryGetValue(tree, out var reference) || !reference.TryGetTarget(out var last) || !ReferenceEquals(last, model))
        {
            _lastBoundModel[tree] = reference = new WeakReference<SemanticModel>(model);
        }

        _boundModels[method.PartialImplementationPart ?? method] = reference;
    }

    /// <summary>The model to read <paramref name="method"/>'s body from: the compiler's when it has bound it, else one of our own.</summary>
    private SemanticModel BodyModelOf(IMethodSymbol method, SyntaxTree tree) =>
        _boundModels.TryGetValue(method, out var bound) && bound.TryGetTarget(out var model) && model.SyntaxTree == tree
            ? model
            : UnboundModelOf(tree);

    /// <summary>A model of our own for <paramref name="tree"/>, for bodies the compiler has not bound yet (and for initializers, which it does not keep).</summary>
    private SemanticModel UnboundModelOf(SyntaxTree tree) => _unboundModels.GetOrAdd(tree, CreateModel);

    /// <summary>
    /// Without nullable analysis: the rules look only at which members a body uses, never at nullability,
    /// and skipping it almost halves the cost of binding a body. Compilers without that option (it is
    /// marked experimental) get the ordinary model.
    /// </summary>
    private SemanticModel CreateModel(SyntaxTree tree)
    {
        if (!s_modelsWithoutNullableAnalysisUnavailable)
        {
            try
            {
                return ModelWithoutNullableAnalysis(_compilation, tree);
            }
            catch (Exception e) when (e is MissingMemberException or TypeLoadException)
            {
                s_modelsWithoutNullableAnalysisUnavailable = true;
            }
        }

#pragma warning disable RS1030 // the analysis must read bodies of other trees than the one being analysed
        return _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // a compiler without the API fails here, not in the caller
    private static SemanticModel ModelWithoutNullableAnalysis(Compilation compilation, SyntaxTree tree)
    {
#pragma warning disable RS1030, RSEXPERIMENTAL001
        return compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RS1030, RSEXPERIMENTAL001
    }
}
