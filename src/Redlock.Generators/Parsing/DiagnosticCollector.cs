using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Collects what the parser finds; the method is valid (gets a wrapper) only when no error was added.</summary>
internal sealed class DiagnosticCollector
{
    private readonly List<DiagnosticInfo> _items = new();

    public bool HasErrors { get; private set; }

    public IReadOnlyList<DiagnosticInfo> Items => _items;

    public void Add(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            HasErrors = true;
        }

        _items.Add(new DiagnosticInfo(descriptor, LocationInfo.From(location), args.ToEquatableArray()));
    }
}
