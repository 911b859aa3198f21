namespace Concordance;

/// <summary>A message declared in a schema: a command, an event or a record. Implemented by generated types.</summary>
public interface IMessage
{
}

/// <summary>A request to change an aggregate; handled by exactly one aggregate.</summary>
public interface ICommand : IMessage
{
}

/// <summary>A fact that happened; emitted by an aggregate or brought in by a gateway.</summary>
public interface IEvent : IMessage
{
}

/// <summary>Which kind of schema declaration a <see cref="MessageType"/> describes.</summary>
public enum MessageKind
{
    /// <summary>A <c>command</c>.</summary>
    Command,
    /// <summary>An <c>event</c> (any version).</summary>
    Event,
    /// <summary>A <c>record</c> used inside messages.</summary>
    Record,
}
