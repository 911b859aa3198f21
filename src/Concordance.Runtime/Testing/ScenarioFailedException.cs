namespace Concordance.Testing;

/// <summary>
/// Thrown by a scenario's <c>Then…</c> step when the component did not behave as expected. Any test
/// framework reports it as a failed test; the message shows what was expected and what happened.
/// </summary>
public sealed class ScenarioFailedException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ScenarioFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public ScenarioFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
