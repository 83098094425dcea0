using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>The parser's answer: what to generate (if anything), and every diagnostic found either way.</summary>
internal sealed class LockMethodParseResult
{
    public LockMethodParseResult(LockMethodModel? model, DiagnosticCollector diagnostics)
    {
        Model = model;
        Diagnostics = diagnostics.Items;
        GeneratorDiagnostics = diagnostics.ForGenerator;
    }

    /// <summary>A wrapper for a valid method, a stub for one with RLK errors, or null when nothing can be written.</summary>
    public LockMethodModel? Model { get; }

    /// <summary>The diagnostics the analyzer reports, with their locations.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The diagnostics the generator reports (see <see cref="DiagnosticInfo"/>).</summary>
    public EquatableArray<DiagnosticInfo> GeneratorDiagnostics { get; }
}
