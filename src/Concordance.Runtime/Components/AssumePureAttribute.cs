namespace Concordance;

/// <summary>
/// Vouches that a member is pure although the purity analyzers (CC1001–CC1007) cannot prove it:
/// the analyzers neither report inside it nor follow calls out of it. The reason is mandatory so
/// that every exception can be found with a search for <c>AssumePure</c> and judged in review.
/// </summary>
/// <example>
/// <code>
/// [AssumePure("Reads a table compiled into the assembly; it never changes at run time.")]
/// static decimal FeeFor(string country) => FeeTable.Lookup(country);
/// </code>
/// </example>
[AttributeUsage(
    AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property |
    AttributeTargets.Class | AttributeTargets.Struct,
    Inherited = false, AllowMultiple = false)]
public sealed class AssumePureAttribute : Attribute
{
    /// <summary>Vouches for the member, giving <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the member is deterministic and free of I/O, for the reviewer.</param>
    public AssumePureAttribute(string reason) => Reason = reason;

    /// <summary>Why the member is deterministic and free of I/O.</summary>
    public string Reason { get; }
}
