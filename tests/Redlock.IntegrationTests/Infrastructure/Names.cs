namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>Unique resource names, so that tests sharing nodes never meet on a key.</summary>
public static class Names
{
    public static string Unique(string prefix) => $"{prefix}:{Guid.NewGuid():N}";
}
