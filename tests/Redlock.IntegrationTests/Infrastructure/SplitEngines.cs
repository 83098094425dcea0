using Microsoft.Extensions.DependencyInjection;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>
/// Two engines in one container over disjoint nodes of a three-node bed: the plain engine on node 0 and the keyed
/// engine <see cref="Key"/> on nodes 1 and 2, so that where a key lands shows which engine locked it.
/// </summary>
internal static class SplitEngines
{
    public const string Key = "billing";

    public static IServiceCollection AddSplitEngines(this IServiceCollection services, LockBed bed)
    {
        services.AddRedlock(o => o.Nodes.Add(bed.Nodes.ConnectionStrings[0]));
        services.AddKeyedRedlock(Key, o =>
        {
            o.Nodes.Add(bed.Nodes.ConnectionStrings[1]);
            o.Nodes.Add(bed.Nodes.ConnectionStrings[2]);
        });
        return services;
    }
}
