using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Parsing;

namespace RedlockAspects.Generators.Analyzers;

/// <summary>
/// RLK0017: a <c>&lt;Name&gt;Core</c> body that calls another <c>[DistributedLock]</c> method of the same type with
/// <c>Reentrant = false</c>, whose key can be the one the body's own wrapper holds. Cheap on purpose: it looks at the
/// key templates only (literal prefix and suffix), so it can warn about keys that differ at run time, but never about
/// keys that cannot be equal.
/// </summary>
internal static class NestedLockCalls
{
    private const string CoreSuffix = "Core";

    public static void Analyze(OperationAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var target = invocation.TargetMethod.OriginalDefinition;
        target = target.PartialDefinitionPart ?? target;
        if (LockAttribute(target, attributeType) is not { } targetAttribute
            || Reentrant(targetAttribute)
            || context.ContainingSymbol is not IMethodSymbol caller
            || caller.Name.Length <= CoreSuffix.Length
            || !caller.Name.EndsWith(CoreSuffix, System.StringComparison.Ordinal)
            || !SymbolEqualityComparer.Default.Equals(caller.ContainingType?.OriginalDefinition, target.ContainingType?.OriginalDefinition))
        {
            return;
        }

        var outerName = caller.Name.Substring(0, caller.Name.Length - CoreSuffix.Length);
        var targetTemplate = Template(targetAttribute);
        foreach (var outer in caller.ContainingType!.GetMembers(outerName).OfType<IMethodSymbol>())
        {
            if (LockAttribute(outer, attributeType) is { } outerAttribute
                && Template(outerAttribute) is { } outerTemplate
                && targetTemplate is not null
                && CanBeEqual(outerTemplate, targetTemplate))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.NestedNonReentrantLock,
                    invocation.Syntax.GetLocation(),
                    caller.Name,
                    target.Name,
                    targetTemplate,
                    outerTemplate,
                    outer.Name));
                return;
            }
        }
    }

    /// <summary>
    /// Whether two templates can produce the same key: equal when neither has a placeholder; otherwise the literal text
    /// before the first placeholder and after the last must agree (placeholders may stand for anything).
    /// </summary>
    internal static bool CanBeEqual(string first, string second)
    {
        var a = Shape(first);
        var b = Shape(second);
        if (a is null || b is null)
        {
            return false;
        }

        if (!a.Value.HasPlaceholder && !b.Value.HasPlaceholder)
        {
            return a.Value.Prefix == b.Value.Prefix;
        }

        if (!a.Value.HasPlaceholder || !b.Value.HasPlaceholder)
        {
            var constant = a.Value.HasPlaceholder ? b.Value.Prefix : a.Value.Prefix;
            var pattern = a.Value.HasPlaceholder ? a.Value : b.Value;
            return constant.Length >= pattern.Prefix.Length + pattern.Suffix.Length
                && constant.StartsWith(pattern.Prefix, System.StringComparison.Ordinal)
                && constant.EndsWith(pattern.Suffix, System.StringComparison.Ordinal);
        }

        return Agree(a.Value.Prefix, b.Value.Prefix, fromStart: true) && Agree(a.Value.Suffix, b.Value.Suffix, fromStart: false);
    }

    private static bool Agree(string x, string y, bool fromStart)
    {
        var shorter = x.Length <= y.Length ? x : y;
        var longer = x.Length <= y.Length ? y : x;
        return fromStart
            ? longer.StartsWith(shorter, System.StringComparison.Ordinal)
            : longer.EndsWith(shorter, System.StringComparison.Ordinal);
    }

    /// <summary>The literal text before the first placeholder and after the last (the whole text when there is none).</summary>
    private static (string Prefix, string Suffix, bool HasPlaceholder)? Shape(string template)
    {
        var parsed = KeyTemplateParser.Parse(template);
        if (parsed.Error is not null)
        {
            return null;
        }

        var prefix = string.Empty;
        var suffix = string.Empty;
        var seenPlaceholder = false;
        foreach (var segment in parsed.Segments)
        {
            if (segment.Literal is { } literal)
            {
                if (seenPlaceholder)
                {
                    suffix += literal;
                }
                else
                {
                    prefix += literal;
                }
            }
            else
            {
                seenPlaceholder = true;
                suffix = string.Empty;
            }
        }

        return (prefix, suffix, seenPlaceholder);
    }

    private static AttributeData? LockAttribute(IMethodSymbol method, INamedTypeSymbol attributeType) =>
        method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));

    private static bool Reentrant(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == DistributedLockAttributeNames.Reentrant && argument.Value.Value is bool value)
            {
                return value;
            }
        }

        return DistributedLockAttributeNames.DefaultReentrant;
    }

    private static string? Template(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
}
