using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>
/// Resolves a parsed template's placeholders against the method's parameters and their members, and decides which
/// null checks run before the key is built.
/// </summary>
internal static class KeyTemplateBinder
{
    /// <summary>Binds the template; each placeholder that does not resolve is handed to <paramref name="unresolved"/>.</summary>
    public static KeyModel Bind(KeyTemplate template, IMethodSymbol method, KnownTypes known, System.Action<KeyTemplateSegment, string> unresolved)
    {
        var parts = new List<KeyPartModel>();
        var checks = new List<NullCheckModel>();
        var seen = new HashSet<string>();
        foreach (var segment in template.Segments)
        {
            if (segment.Path is null)
            {
                parts.Add(new KeyPartModel(false, segment.Literal ?? string.Empty, null));
                continue;
            }

            var root = segment.Path[0];
            var parameter = method.Parameters.FirstOrDefault(p => p.Name == root);
            if (parameter is null)
            {
                var names = method.Parameters.Length == 0 ? "it has none" : "its parameters are " + string.Join(", ", method.Parameters.Select(p => p.Name));
                unresolved(segment, $"'{method.Name}' has no parameter named '{root}' ({names})");
                continue;
            }

            var parameterName = SymbolText.Identifier(parameter.Name);
            var expression = parameterName;
            var path = parameter.Name;
            var type = parameter.Type;
            var failed = false;
            for (var i = 0; ; i++)
            {
                if (NeedsNullCheck(type) && seen.Add(expression))
                {
                    checks.Add(new NullCheckModel(expression, parameterName, i == 0 ? null : path));
                }

                if (IsNullableValueType(type, out var underlying))
                {
                    expression += ".Value";
                    type = underlying!;
                }

                if (i + 1 >= segment.Path.Length)
                {
                    break;
                }

                var memberName = segment.Path[i + 1];
                var memberType = FindMember(type, memberName, method.ContainingType, known.Compilation);
                if (memberType is null)
                {
                    unresolved(segment, $"'{SymbolText.Message(type)}' (the type of '{path}') has no readable instance field or property named '{memberName}' that '{method.ContainingType.Name}' can access");
                    failed = true;
                    break;
                }

                expression += "." + SymbolText.Identifier(memberName);
                path += "." + memberName;
                type = memberType;
            }

            if (!failed)
            {
                parts.Add(new KeyPartModel(true, expression, segment.Format));
            }
        }

        return new KeyModel(checks.ToEquatableArray(), Merge(parts).ToEquatableArray());
    }

    private static IEnumerable<KeyPartModel> Merge(List<KeyPartModel> parts)
    {
        // Adjacent literals (left apart by a placeholder that failed to bind) read better as one.
        KeyPartModel? pending = null;
        foreach (var part in parts)
        {
            if (!part.IsValue && pending is { IsValue: false } previous)
            {
                pending = new KeyPartModel(false, previous.Text + part.Text, null);
                continue;
            }

            if (pending is { } ready)
            {
                yield return ready;
            }

            pending = part;
        }

        if (pending is { } last)
        {
            yield return last;
        }
    }

    private static bool NeedsNullCheck(ITypeSymbol type) =>
        type.IsReferenceType
        || IsNullableValueType(type, out _)
        || (type is ITypeParameterSymbol parameter && !parameter.HasValueTypeConstraint && !parameter.HasUnmanagedTypeConstraint);

    private static bool IsNullableValueType(ITypeSymbol type, out ITypeSymbol? underlying)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } named)
        {
            underlying = named.TypeArguments[0];
            return true;
        }

        underlying = null;
        return false;
    }

    private static ITypeSymbol? FindMember(ITypeSymbol type, string name, INamedTypeSymbol within, Compilation compilation)
    {
        foreach (var candidate in TypesToSearch(type))
        {
            foreach (var member in candidate.GetMembers(name))
            {
                if (member.IsStatic || !compilation.IsSymbolAccessibleWithin(member, within))
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol field:
                        return field.Type;
                    case IPropertySymbol { IsIndexer: false, GetMethod: { } getter } property
                        when compilation.IsSymbolAccessibleWithin(getter, within):
                        return property.Type;
                }
            }
        }

        return null;
    }

    private static IEnumerable<ITypeSymbol> TypesToSearch(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                foreach (var inner in TypesToSearch(constraint))
                {
                    yield return inner;
                }
            }

            yield break;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                yield return @interface;
            }
        }
    }
}
