using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Collects what the parser finds; the method is valid (gets a wrapper) only when no error was added.</summary>
internal sealed class DiagnosticCollector
{
    private readonly List<Diagnostic> _items = new();
    private readonly List<DiagnosticInfo> _forGenerator = new();

    public bool HasErrors { get; private set; }

    /// <summary>For the analyzer to report.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>For the generator to report (see <see cref="DiagnosticInfo"/>).</summary>
    public EquatableArray<DiagnosticInfo> ForGenerator => _forGenerator.ToEquatableArray();

    public void Add(DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        Count(descriptor);
        _items.Add(Diagnostic.Create(descriptor, location ?? Location.None, args));
    }

    /// <summary>Adds a diagnostic that comes with a C# diagnostic of its own, so only the generator can show it in every build.</summary>
    public void AddForGenerator(DiagnosticDescriptor descriptor, Location location, params string[] args)
    {
        Count(descriptor);
        _forGenerator.Add(new DiagnosticInfo(descriptor, LocationInfo.From(location), args.ToEquatableArray()));
    }

    private void Count(DiagnosticDescriptor descriptor)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            HasErrors = true;
        }
    }
}
