namespace RedlockAspects.IntegrationTests.Harness;

/// <summary>Thrown by the harness's own LostToken callbacks; the engine must contain it.</summary>
internal sealed class HarnessCallbackException(string lease) : Exception($"LostToken callback of {lease} throws on purpose");
