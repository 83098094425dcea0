using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using RedlockAspects.Generators.Model;

namespace RedlockAspects.Generators.Parsing;

/// <summary>The parser's answer: what to generate (if anything), and every diagnostic found either way.</summary>
internal sealed class LockMethodParseResult
{
    public LockMethodParseResult(LockMethodModel? model, IReadOnlyList<Diagnostic> diagnostics, EquatableArray<TypeNotPartialModel> nonPartialTypes)
    {
        Model = model;
        Diagnostics = diagnostics;
        NonPartialTypes = nonPartialTypes;
    }

    /// <summary>A wrapper for a valid method, a stub for one with RLK errors, or null when nothing can be written.</summary>
    public LockMethodModel? Model { get; }

    /// <summary>Every diagnostic but RLK0010, with its location: for the analyzer.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>RLK0010, for the generator to report (see <see cref="TypeNotPartialModel"/>).</summary>
    public EquatableArray<TypeNotPartialModel> NonPartialTypes { get; }
}
