using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Concordance;

/// <summary>
/// The hosted worker of one projector, process manager or gateway. Stopping cancels it cleanly (a batch in progress
/// is abandoned uncommitted and redone at the next start); any other failure is logged and the runner restarts from
/// its stored checkpoint after a backoff, so the host never goes down with it.
/// </summary>
internal sealed class ComponentWorker(ComponentRunner runner, ProcessingOptions options, ILogger<ComponentWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Supervise(runner.Component, runner.RunAsync, runner.Reset, options, logger, stoppingToken);

    /// <summary>Runs <paramref name="run"/> until <paramref name="stoppingToken"/> is cancelled, restarting it with backoff after failures.</summary>
    internal static async Task Supervise(string name, Func<CancellationToken, Task> run, Action reset, ProcessingOptions options, ILogger logger, CancellationToken stoppingToken)
    {
        // Leave StartAsync at once: the host starts every worker before any of them does I/O.
        await Task.Yield();
        logger.LogInformation("{Worker} started.", name);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await run(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = options.BackoffAfter(failures);
                logger.LogError(ex, "{Worker} failed; restarting in {Delay}.", name, delay);
                reset();
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        logger.LogInformation("{Worker} stopped.", name);
    }
}

/// <summary>The hosted worker that sends the outbox's pending commands.</summary>
internal sealed class OutboxWorker(ComponentRunners runners, ProcessingOptions options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ComponentWorker.Supervise("outbox dispatcher", runners.Outbox.RunAsync, () => { }, options, logger, stoppingToken);
}
