using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Diagnostics;

namespace RedlockAspects.Generators.Model;

/// <summary>
/// RLK0010 as the generator reports it: from the generator, because the compiler's own error for a partial method in a
/// non-partial type (CS0751, CS8795) stops the command-line build before analyzers run.
/// </summary>
internal readonly record struct TypeNotPartialModel(LocationInfo Location, string TypeName, string MethodName)
{
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(DiagnosticDescriptors.TypeNotPartial, Location.ToLocation(compilation), TypeName, MethodName);
}
