using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Collects what the parser finds; the method is valid (gets a wrapper) only when no error was added.</summary>
internal sealed class DiagnosticCollector
{
    private readonly List<Diagnostic> _items = new();

    public bool HasErrors { get; private set; }

    public IReadOnlyList<Diagnostic> Items => _items;

    public void Add(DiagnosticDescriptor descriptor, Location? location, params object[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            HasErrors = true;
        }

        _items.Add(Diagnostic.Create(descriptor, location ?? Location.None, args));
    }
}
