using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Concordance.Analyzers.Purity;

/// <summary>
/// Where the analysis gets the bodies it reads. Binding a body is most of what the analysis costs, and
/// the compiler binds every body anyway: when it has bound a method before the analysis needs it, the
/// bound body is taken from the semantic model the compiler left it in; otherwise the body is bound
/// once, without nullable analysis.
/// </summary>
internal sealed partial class PurityAnalysis
{
    private static volatile bool s_modelsWithoutNullableAnalysisUnavailable;

    // Methods the compiler has bound, and per tree the model holding their bodies. Weak: the driver
    // drops a tree's model once the tree is analysed, and keeping every model would keep every bound tree.
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _bound = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, WeakReference<SemanticModel>> _boundModels = new();
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _unboundModels = new();

    /// <summary>
    /// Records that the compiler has bound <paramref name="method"/>: the driver announces a method only
    /// after binding it, and leaves the bound body in the compilation's model of its tree.
    /// </summary>
    private void NoteBound(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (!_boundModels.TryGetValue(tree, out var known) || !known.TryGetTarget(out _))
            {
#pragma warning disable RS1030 // the compilation's own (cached) model of the tree, where the compiler put the bound body
                _boundModels[tree] = new WeakReference<SemanticModel>(_compilation.GetSemanticModel(tree));
#pragma warning restore RS1030
            }
        }

        _bound.TryAdd(method, true);
    }

    /// <summary>The model to read <paramref name="method"/>'s body from: the compiler's when it has bound it, else one of our own.</summary>
    private SemanticModel BodyModelOf(IMethodSymbol method, SyntaxTree tree) =>
        _bound.ContainsKey(method) && _boundModels.TryGetValue(tree, out var bound) && bound.TryGetTarget(out var model)
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
