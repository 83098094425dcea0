namespace RedlockAspects.IntegrationTests.Harness.OperationPlan;

/// <summary>
/// Draws one worker's sessions from its own seeded random (seed and worker index), so a worker's sequence does not
/// depend on how the others were scheduled.
/// </summary>
internal sealed class RandomOps(HarnessConfig config, int worker)
{
    private readonly Random _random = new(unchecked(config.Seed * 7919 + worker * 104_729 + 1));

    public SessionPlan Next()
    {
        var r = _random;
        var kind = Pick(r, (AcquireKind.Acquire, 30), (AcquireKind.TryAcquire, 22), (AcquireKind.AcquireMany, 12), (AcquireKind.TryAcquireMany, 10),
            (AcquireKind.FairAcquire, 14), (AcquireKind.FairTryAcquire, 10), (AcquireKind.Invalid, 2));
        var resources = kind is AcquireKind.AcquireMany or AcquireKind.TryAcquireMany
            ? Enumerable.Range(0, config.Resources).OrderBy(_ => r.Next()).Take(r.Next(2, config.Resources + 1)).ToArray()
            : [r.Next(config.Resources)];
        var ttl = Ms(r.Next(config.MinTtlMs, config.MaxTtlMs + 1));
        var maxWait = Ms(r.Next(0, 300));

        var autoExtend = r.NextDouble() < 0.25;
        TimeSpan? interval = autoExtend && r.NextDouble() < 0.5 ? ttl * (0.2 + r.NextDouble() * 0.3) : null;
        TimeSpan? maxHold = autoExtend ? Ms(r.Next(50, 1500)) : null;
        TimeSpan? minHold = r.NextDouble() < 0.15 ? Ms(r.Next(10, config.MaxMinHoldMs + 1)) : null;
        TimeSpan? cancelAfter = kind is AcquireKind.Acquire or AcquireKind.AcquireMany or AcquireKind.FairAcquire && r.NextDouble() < 0.15 ? Ms(r.Next(1, 200)) : null;
        var throwing = r.NextDouble() < config.ThrowingCallbackRate;

        var steps = new PlannedStep[r.Next(0, 7)];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = NextStep(r, ttl);
        }

        var end = Pick(r, (EndKind.Release, 47), (EndKind.Dispose, 37), (EndKind.ReleaseThenExtend, 8), (EndKind.Abandon, 8));
        return new SessionPlan(kind, resources, ttl, maxWait, autoExtend, interval, maxHold, minHold, cancelAfter, throwing, steps, end);
    }

    private PlannedStep NextStep(Random r, TimeSpan ttl)
    {
        var extend = config.LongerExtensionWeight + config.ShorterExtensionWeight + config.OtherExtensionWeight;
        var roll = r.Next(config.HoldWeight + extend);
        if (roll < config.HoldWeight)
        {
            // Mostly short holds (throughput), sometimes past the TTL so that expiry happens under a held lease.
            return new PlannedStep(StepKind.Hold, r.Next(20) < 17 ? TimeSpan.FromMilliseconds(r.Next(0, 30)) : ttl * (r.NextDouble() * 1.3));
        }

        roll -= config.HoldWeight;
        if (roll < config.LongerExtensionWeight)
        {
            return new PlannedStep(StepKind.ExtendLonger, Ms(r.Next((int)Math.Min(ttl.TotalMilliseconds + 1, config.MaxTtlMs), config.MaxTtlMs + 1)));
        }

        roll -= config.LongerExtensionWeight;
        if (roll < config.ShorterExtensionWeight)
        {
            return r.Next(3) == 0
                ? new PlannedStep(StepKind.ExtendNearMinimum, Ms(r.Next(4, 12)))
                : new PlannedStep(StepKind.ExtendShorter, Ms(r.Next(5, Math.Max(6, (int)ttl.TotalMilliseconds / 2))));
        }

        return Pick(r, (StepKind.ExtendDefault, 5), (StepKind.ExtendSubMillisecond, 2), (StepKind.ExtendInvalid, 1), (StepKind.Nested, 4)) switch
        {
            StepKind.ExtendSubMillisecond => new PlannedStep(StepKind.ExtendSubMillisecond, TimeSpan.FromTicks(r.Next(1, (int)TimeSpan.TicksPerMillisecond))),
            StepKind.ExtendInvalid => new PlannedStep(StepKind.ExtendInvalid, r.Next(2) == 0 ? TimeSpan.Zero : Ms(-r.Next(1, 100))),
            var other => new PlannedStep(other, TimeSpan.Zero),
        };
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static T Pick<T>(Random r, params (T Value, int Weight)[] choices)
    {
        var roll = r.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return choices[^1].Value;
    }
}
