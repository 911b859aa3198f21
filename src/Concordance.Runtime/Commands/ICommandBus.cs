namespace Concordance;

/// <summary>Sends commands to the aggregates that handle them.</summary>
public interface ICommandBus
{
    /// <summary>Sends <paramref name="command"/> under a new command id.</summary>
    /// <returns>Accepted with the events and the stream's new version, or rejected with the handler's reason.</returns>
    /// <exception cref="ArgumentException">No registered aggregate handles the command's type.</exception>
    /// <exception cref="InvalidMessageException">
    /// The command, its key, or an event its aggregate decided could not be stored and read back (a required field is
    /// null, text holds a lone surrogate, a value nests deeper than <see cref="MessageLimits.MaxDepth"/>…); nothing
    /// was stored and the aggregate goes on as before.
    /// </exception>
    /// <exception cref="ConcurrencyConflictException">The stream kept changing under the command beyond the retry bound.</exception>
    /// <exception cref="Storage.CorruptEventException">
    /// The command's stream holds an event that cannot be read (its type or version is not registered, its data does not
    /// read as its type, or the store could not read it): the message names the stream, the version and the cause. Every
    /// command to that stream fails so until the event reads (register the version or its upcast, fix the reader); other
    /// streams are not affected.
    /// </exception>
    Task<CommandResult> SendAsync(ICommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="command"/> with <paramref name="metadata"/>. A command id that was already
    /// recorded is answered with its first outcome and never applied again. Cancelling stops the wait, not
    /// necessarily the command: send it again with the same id to learn its outcome.
    /// </summary>
    /// <exception cref="ArgumentException">No registered aggregate handles the command's type.</exception>
    /// <exception cref="InvalidMessageException">
    /// As for <see cref="SendAsync(ICommand, CancellationToken)"/>, or the command id or correlation id holds a lone surrogate or a line break.
    /// </exception>
    /// <exception cref="ConcurrencyConflictException">The stream kept changing under the command beyond the retry bound.</exception>
    /// <exception cref="Storage.CorruptEventException">
    /// The command's stream holds an event that cannot be read (its type or version is not registered, its data does not
    /// read as its type, or the store could not read it): the message names the stream, the version and the cause. Every
    /// command to that stream fails so until the event reads (register the version or its upcast, fix the reader); other
    /// streams are not affected.
    /// </exception>
    Task<CommandResult> SendAsync(ICommand command, CommandMetadata metadata, CancellationToken cancellationToken = default);
}

/// <summary>Identity and tracing data sent with a command.</summary>
public sealed record CommandMetadata
{
    /// <summary>The command's id; a repeated id returns the first outcome. Null: the bus makes a new one.</summary>
    public string? CommandId { get; init; }

    /// <summary>The correlation id the resulting events carry. Null: the command id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>What caused the command (e.g. an event id); the resulting events' causation is the command id.</summary>
    public string? CausationId { get; init; }
}

/// <summary>A command could not be applied because its stream kept changing concurrently (more conflicts than the retry bound).</summary>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message) : base(message)
    {
    }
}
