using System.Linq;
using Microsoft.CodeAnalysis;

namespace RedlockAspects.Generators.Model;

/// <summary>A diagnostic found by the parser: descriptor, place and message arguments, all equatable.</summary>
internal readonly record struct DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.AsImmutableArray().ToArray());
}
