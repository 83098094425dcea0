using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RedlockAspects.Generators.Parsing;

/// <summary>The names the generator makes up: the file's hint name and the settings field, told apart across overloads.</summary>
internal static class GeneratedNames
{
    /// <summary><c>Namespace.Outer.Inner_1.Method_1.g.cs</c>: the type path (with arity), the method and its overload suffix.</summary>
    public static string HintName(IMethodSymbol method, KnownTypes known)
    {
        var names = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            names.Insert(0, type.Arity == 0 ? type.Name : type.Name + "_" + type.Arity);
        }

        if (method.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            names.Insert(0, ns.ToDisplayString());
        }

        names.Add(method.Name + OverloadSuffix(method, known));
        return string.Join(".", names) + ".g.cs";
    }

    /// <summary>The static field that holds the method's <c>DistributedLockSettings</c>.</summary>
    public static string SettingsField(IMethodSymbol method, KnownTypes known) => "__" + method.Name + OverloadSuffix(method, known) + "_LockSettings";

    /// <summary>The stub's private method that reads the primary-constructor engines.</summary>
    public static string EngineReader(IMethodSymbol method, KnownTypes known) => "__" + method.Name + OverloadSuffix(method, known) + "_ReadEngine";

    /// <summary>Tells overloads apart: empty for the first <c>[DistributedLock]</c> method of a name, then _1, _2, … in declaration order.</summary>
    private static string OverloadSuffix(IMethodSymbol method, KnownTypes known)
    {
        var index = 0;
        foreach (var sibling in method.ContainingType.GetMembers(method.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(sibling, method))
            {
                break;
            }

            if (sibling is IMethodSymbol other && known.HasLockAttribute(other))
            {
                index++;
            }
        }

        return index == 0 ? string.Empty : "_" + index.ToString(CultureInfo.InvariantCulture);
    }
}
