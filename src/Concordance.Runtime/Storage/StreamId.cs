namespace Concordance.Storage;

/// <summary>
/// Names one event stream: the category (the aggregate's schema name, e.g. <c>Bank.BankAccount</c>)
/// and the key of one instance (e.g. the account number). The key is the CloudEvents <c>subject</c>.
/// </summary>
/// <param name="Category">The stream's category, usually the aggregate's schema name.</param>
/// <param name="Key">The instance key within the category.</param>
public readonly record struct StreamId(string Category, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Category}/{Key}";
}
