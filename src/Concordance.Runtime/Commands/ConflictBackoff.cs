namespace Concordance;

/// <summary>
/// The wait before a conflict retry: exponential backoff with full jitter. Writers that collided on one stream wait
/// random times up to a bound that doubles with each conflict, so they spread out instead of colliding again in step.
/// </summary>
internal static class ConflictBackoff
{
    /// <summary>
    /// The wait before retry <paramref name="retry"/> (1-based): <paramref name="random"/> (in [0, 1)) times
    /// <c>min(<paramref name="max"/>, <paramref name="first"/> × 2^(retry − 1))</c>.
    /// </summary>
    public static TimeSpan Before(int retry, TimeSpan first, TimeSpan max, double random)
    {
        if (first <= TimeSpan.Zero || max <= TimeSpan.Zero) return TimeSpan.Zero;
        var bound = Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Clamp(retry - 1, 0, 62)));
        return TimeSpan.FromTicks((long)(bound * Math.Clamp(random, 0, 1)));
    }
}
