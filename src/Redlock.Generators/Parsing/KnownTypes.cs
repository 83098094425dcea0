using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RedlockAspects.Generators.Parsing;

/// <summary>The well-known types the parser compares against, looked up once per compilation.</summary>
internal sealed class KnownTypes
{
    public const string AttributeMetadataName = "RedlockAspects.DistributedLockAttribute";
    public const string EngineMetadataName = "RedlockAspects.IRedlock";
    public const string LeaseMetadataName = "RedlockAspects.RedlockLease";

    private static readonly ConditionalWeakTable<Compilation, KnownTypes> PerCompilation = new();

    private KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Attribute = compilation.GetTypeByMetadataName(AttributeMetadataName);
        Engine = compilation.GetTypeByMetadataName(EngineMetadataName);
        Lease = compilation.GetTypeByMetadataName(LeaseMetadataName);
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Attribute { get; }

    public INamedTypeSymbol? Engine { get; }

    public INamedTypeSymbol? Lease { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>The types of <paramref name="compilation"/>, looked up on first use and shared by every method in it.</summary>
    public static KnownTypes From(Compilation compilation) => PerCompilation.GetValue(compilation, static c => new KnownTypes(c));

    /// <summary>True when <paramref name="method"/> carries <c>[DistributedLock]</c>.</summary>
    public bool HasLockAttribute(IMethodSymbol method) =>
        Attribute is not null && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, Attribute));

    /// <summary>The method's <c>[DistributedLock]</c>, or null.</summary>
    public AttributeData? LockAttribute(IMethodSymbol method) =>
        Attribute is null ? null : method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, Attribute));

    /// <summary>Classifies an awaitable return type: <c>null</c> when it is not one we support.</summary>
    public AwaitableKind? Classify(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        var definition = named.OriginalDefinition;
        if (Same(definition, Task))
        {
            return AwaitableKind.Task;
        }

        if (Same(definition, ValueTask))
        {
            return AwaitableKind.ValueTask;
        }

        if (Same(definition, TaskOfT))
        {
            return AwaitableKind.TaskOfT;
        }

        if (Same(definition, ValueTaskOfT))
        {
            return AwaitableKind.ValueTaskOfT;
        }

        return null;
    }

    /// <summary>True for <c>IRedlock</c> and types that implement it (by identity, reference or boxing conversion).</summary>
    public bool IsEngine(ITypeSymbol type)
    {
        if (Engine is null || type.TypeKind == TypeKind.Error || type.TypeKind == TypeKind.Dynamic)
        {
            return false;
        }

        if (Same(type, Engine))
        {
            return true;
        }

        if (Compilation is not CSharpCompilation csharp)
        {
            return false;
        }

        var conversion = csharp.ClassifyConversion(type, Engine);
        return conversion.Exists && conversion.IsImplicit && (conversion.IsIdentity || conversion.IsReference || conversion.IsBoxing);
    }

    public bool IsCancellationToken(ITypeSymbol type) => Same(type, CancellationToken);

    public bool IsLease(ITypeSymbol type) => Same(type, Lease);

    public static bool Same(ISymbol? left, ISymbol? right) => left is not null && SymbolEqualityComparer.Default.Equals(left, right);
}

/// <summary>The supported return types.</summary>
internal enum AwaitableKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
