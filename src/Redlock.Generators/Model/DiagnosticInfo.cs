using System.Linq;
using Microsoft.CodeAnalysis;

namespace RedlockAspects.Generators.Model;

/// <summary>
/// A diagnostic the generator reports rather than the analyzer: one whose code always has a C# diagnostic of its own
/// (RLK0010 with CS0751 or CS8795; a null key with CS8625), which stops a command-line build before analyzers run but
/// not before generator diagnostics are reported. Equatable, so it can travel through the pipeline.
/// </summary>
internal readonly record struct DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location.ToLocation(compilation), Arguments.AsImmutableArray().ToArray());
}
