using System.Text.Json;

namespace Concordance;

/// <summary>Reads one message from JSON positioned at its start object.</summary>
public delegate IMessage MessageReader(ref Utf8JsonReader reader);

/// <summary>Writes one message as a JSON object.</summary>
public delegate void MessageWriter(Utf8JsonWriter writer, IMessage message);

/// <summary>
/// What the runtime knows about one generated message type: its stable name and version, how to
/// write and read it without reflection, and for an old event version how to upcast it.
/// Instances are created by generated code (<c>{Schema}Schema.Messages</c>).
/// </summary>
public sealed class MessageType
{
    /// <summary>Creates a descriptor; called by generated code.</summary>
    /// <param name="name">The stable, namespace-qualified schema name, e.g. <c>Bank.AccountCreated</c>.</param>
    /// <param name="version">The schema version (1 when the schema declares none).</param>
    /// <param name="kind">Command, event or record.</param>
    /// <param name="clrType">The generated CLR type.</param>
    /// <param name="write">Writes an instance as JSON.</param>
    /// <param name="read">Reads an instance from JSON.</param>
    /// <param name="upcast">For an event version older than the latest: converts to the next version; otherwise null.</param>
    public MessageType(string name, int version, MessageKind kind, Type clrType, MessageWriter write, MessageReader read, Func<IMessage, IMessage>? upcast = null)
    {
        Name = name;
        Version = version;
        Kind = kind;
        ClrType = clrType;
        Write = write;
        Read = read;
        Upcast = upcast;
    }

    /// <summary>Creates the descriptor of <typeparamref name="T"/>, read and written by its generated converter; called by generated code.</summary>
    /// <typeparam name="T">The generated CLR type.</typeparam>
    /// <typeparam name="TConverter">Its generated JSON converter.</typeparam>
    /// <param name="name">The stable, namespace-qualified schema name, e.g. <c>Bank.AccountCreated</c>.</param>
    /// <param name="version">The schema version (1 when the schema declares none).</param>
    /// <param name="kind">Command, event or record.</param>
    /// <param name="upcast">For an event version older than the latest: converts to the next version; otherwise null.</param>
    /// <returns>The descriptor.</returns>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static MessageType Of<T, TConverter>(string name, int version, MessageKind kind, Func<T, IMessage>? upcast = null)
        where T : class, IMessage
        where TConverter : Serialization.IGeneratedJsonConverter<T> =>
        new(name, version, kind, typeof(T),
            static (writer, message) => TConverter.WriteValue(writer, (T)message),
            static (ref Utf8JsonReader reader) => TConverter.ReadValue(ref reader),
            upcast is null ? null : message => upcast((T)message));

    /// <summary>The stable, namespace-qualified schema name, e.g. <c>Bank.AccountCreated</c>. Shared by every version of an event.</summary>
    public string Name { get; }

    /// <summary>The schema version (1 when the schema declares none).</summary>
    public int Version { get; }

    /// <summary>Command, event or record.</summary>
    public MessageKind Kind { get; }

    /// <summary>The generated CLR type.</summary>
    public Type ClrType { get; }

    /// <summary>Writes an instance of <see cref="ClrType"/> as a JSON object.</summary>
    public MessageWriter Write { get; }

    /// <summary>Reads an instance of <see cref="ClrType"/> from a JSON object.</summary>
    public MessageReader Read { get; }

    /// <summary>For an old event version: converts an instance to the next version. Null for the latest version.</summary>
    public Func<IMessage, IMessage>? Upcast { get; }

    /// <inheritdoc />
    public override string ToString() => Version == 1 ? Name : $"{Name} v{Version}";
}
