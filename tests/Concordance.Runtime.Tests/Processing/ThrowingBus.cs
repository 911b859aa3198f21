using Concordance.Runtime.Tests.Commands;

namespace Concordance.Runtime.Tests.Processing;

/// <summary>A bus that throws for commands to the accounts in <see cref="ThrowFor"/>, as an aggregate with a bug would.</summary>
internal sealed class ThrowingBus
{
    public HashSet<string> ThrowFor { get; } = [];

    public ICommandBus Over(ICommandBus inner) => new Wrapper(this, inner);

    private sealed class Wrapper(ThrowingBus owner, ICommandBus inner) : ICommandBus
    {
        public Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default) => SendAsync(command, new CommandMetadata(), cancellationToken);

        public Task<CommandResult> SendAsync(ICommand command, CommandMetadata metadata, CancellationToken cancellationToken = default) =>
            command is Withdraw w && owner.ThrowFor.Contains(w.Account)
                ? Task.FromException<CommandResult>(new InvalidOperationException($"The aggregate throws on {command}."))
                : inner.SendAsync(command, metadata, cancellationToken);
    }
}
