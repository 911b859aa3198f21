using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Concordance;

/// <summary>
/// Configures Concordance in a service collection. Returned by <c>AddConcordance</c>; the generated
/// <c>AddGeneratedComponents()</c> extension registers the schema's messages and the user's components on it.
/// </summary>
public interface IConcordanceBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }

    /// <summary>Registers generated message descriptors (names, versions, JSON readers and writers).</summary>
    IConcordanceBuilder AddMessages(IEnumerable<MessageType> messageTypes);

    /// <summary>Registers <typeparamref name="TAggregate"/> as the implementation of its schema aggregate.</summary>
    IConcordanceBuilder AddAggregate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAggregate>() where TAggregate : class, IAggregate;

    /// <summary>Registers <typeparamref name="TProjector"/> as the implementation of its schema projector.</summary>
    IConcordanceBuilder AddProjector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProjector>() where TProjector : class, IProjector;

    /// <summary>Registers <typeparamref name="TProcess"/> as the implementation of its schema process manager.</summary>
    IConcordanceBuilder AddProcessManager<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProcess>() where TProcess : class, IProcessManager;

    /// <summary>Registers <typeparamref name="TGateway"/> as the implementation of its schema gateway.</summary>
    IConcordanceBuilder AddGateway<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TGateway>() where TGateway : class, IGateway;
}
