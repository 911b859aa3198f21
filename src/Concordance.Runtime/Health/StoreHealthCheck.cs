using Concordance.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concordance;

/// <summary>Healthy when the store answers: the log's head position is read within the configured timeout.</summary>
internal sealed class StoreHealthCheck(IConcordanceStore store, ConcordanceHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            var head = await store.Events.GetHeadPositionAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The store answers; the log's head is at position {head}.",
                new Dictionary<string, object> { ["head"] = head });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The store did not answer within {options.Timeout}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The store cannot be reached: " + ex.Message, ex);
        }
    }
}
