using Microsoft.CodeAnalysis;

namespace RedlockAspects.Generators.Diagnostics;

/// <summary>
/// Every diagnostic of the <c>[DistributedLock]</c> generator and analyzer, in id order. Each has a help page section
/// in <c>docs/diagnostics.md</c>. Errors mark methods the generator cannot (or must not) wrap; warnings mark code that
/// works but does not do what it says.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "RedlockAspects";
    private const string HelpBase = "https://github.com/redlock-aspects/redlock-aspects/blob/main/docs/diagnostics.md#";

    /// <summary>RLK0001: the attribute sets no <c>TtlMs</c>.</summary>
    public static readonly DiagnosticDescriptor MissingTtl = Create(
        "RLK0001",
        "DistributedLock needs TtlMs",
        "[DistributedLock] on '{0}' must set TtlMs, the lock's time to live in milliseconds (for example TtlMs = 1000)");

    /// <summary>RLK0002: <c>TtlMs</c> is zero or negative.</summary>
    public static readonly DiagnosticDescriptor NonPositiveTtl = Create(
        "RLK0002",
        "TtlMs must be positive",
        "TtlMs is {0}; the lock's time to live must be greater than zero milliseconds");

    /// <summary>RLK0003: another attribute value is out of range.</summary>
    public static readonly DiagnosticDescriptor InvalidSettingValue = Create(
        "RLK0003",
        "Invalid DistributedLock setting",
        "{0} is {1}; {2}");

    /// <summary>RLK0004: <c>MaxHoldMs</c> is set while <c>AutoExtend</c> is off, so it has no effect.</summary>
    public static readonly DiagnosticDescriptor MaxHoldWithoutAutoExtend = Create(
        "RLK0004",
        "MaxHoldMs has no effect without AutoExtend",
        "MaxHoldMs = {0} has no effect because AutoExtend is false: the lock is never extended, so it ends at TtlMs anyway",
        DiagnosticSeverity.Warning);

    /// <summary>RLK0005: the key template cannot be parsed.</summary>
    public static readonly DiagnosticDescriptor MalformedKeyTemplate = Create(
        "RLK0005",
        "Malformed key template",
        "The key template {0} is malformed: {1}");

    /// <summary>RLK0006: a placeholder names no parameter, or a member that does not exist.</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholder = Create(
        "RLK0006",
        "Key placeholder does not resolve",
        "The key placeholder '{0}' does not resolve: {1}");

    /// <summary>RLK0007: the return type is not Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public static readonly DiagnosticDescriptor NotAwaitableReturnType = Create(
        "RLK0007",
        "DistributedLock method must return Task or ValueTask",
        "'{0}' returns '{1}'; a [DistributedLock] method must return Task, Task<T>, ValueTask or ValueTask<T>, because acquiring and releasing the lock is asynchronous");

    /// <summary>RLK0008: <c>OnBusy.Skip</c> on a method that returns a value.</summary>
    public static readonly DiagnosticDescriptor SkipWithResult = Create(
        "RLK0008",
        "OnBusy.Skip needs a method without a result",
        "OnBusy.Skip cannot be used on '{0}', which returns '{1}' with a value from its body: a skipped call has no value to return; return Task or ValueTask, return Task<bool> or ValueTask<bool> from a body that returns Task or ValueTask to learn whether it ran, or use OnBusy.Throw");

    /// <summary>RLK0009: the attributed method is not a partial declaration without a body.</summary>
    public static readonly DiagnosticDescriptor MethodNotPartialDeclaration = Create(
        "RLK0009",
        "DistributedLock method must be a partial declaration",
        "'{0}' must be a partial method declaration without a body (for example 'public partial Task {0}(...);'); {1}");

    /// <summary>RLK0010: the containing type, or one enclosing it, is not partial.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        "RLK0010",
        "Type containing a DistributedLock method must be partial",
        "Type '{0}' must be declared partial, because it contains the [DistributedLock] method '{1}' whose wrapper is generated into it");

    /// <summary>RLK0011: a <c>ref</c>, <c>out</c> or <c>in</c> parameter.</summary>
    public static readonly DiagnosticDescriptor ByRefParameter = Create(
        "RLK0011",
        "DistributedLock method cannot take ref, out or in parameters",
        "Parameter '{0}' is passed by reference ('{1}'); an async [DistributedLock] wrapper cannot take ref, out or in parameters");

    /// <summary>RLK0012: no <c>IRedlock</c> member in the type.</summary>
    public static readonly DiagnosticDescriptor NoEngine = Create(
        "RLK0012",
        "No IRedlock member",
        "'{0}' needs one field, property or primary-constructor parameter of type RedlockAspects.IRedlock in '{1}' to acquire the lock with");

    /// <summary>RLK0013: several <c>IRedlock</c> members in the type.</summary>
    public static readonly DiagnosticDescriptor SeveralEngines = Create(
        "RLK0013",
        "Several IRedlock members",
        "'{0}' cannot choose between the IRedlock members {1} of '{2}'; keep exactly one");

    /// <summary>RLK0014: a static method, and no static <c>IRedlock</c> member.</summary>
    public static readonly DiagnosticDescriptor StaticMethodWithoutStaticEngine = Create(
        "RLK0014",
        "Static DistributedLock method needs a static IRedlock",
        "'{0}' is static, but the IRedlock member {1} of '{2}' is not; add a static IRedlock field or property, or make the method an instance method");

    /// <summary>RLK0015: no <c>&lt;Name&gt;Core</c> method.</summary>
    public static readonly DiagnosticDescriptor CoreMissing = Create(
        "RLK0015",
        "Body method is missing",
        "'{0}' needs its body in a method '{1}' in the same type: {2}");

    /// <summary>RLK0016: the <c>&lt;Name&gt;Core</c> method's signature does not match.</summary>
    public static readonly DiagnosticDescriptor CoreMismatch = Create(
        "RLK0016",
        "Body method signature does not match",
        "'{0}' does not match '{1}': {2}; expected {3}");

    /// <summary>RLK0017: a body calls a non-reentrant <c>[DistributedLock]</c> method of the same type whose key can be the one already held.</summary>
    public static readonly DiagnosticDescriptor NestedNonReentrantLock = Create(
        "RLK0017",
        "Nested call waits for its own caller's lock",
        "'{0}' calls '{1}', whose key '{2}' can be the key '{3}' that '{4}' already holds around this body, and '{1}' sets Reentrant = false: the nested call would wait for its own caller until its wait runs out; remove Reentrant = false or lock a different key",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
