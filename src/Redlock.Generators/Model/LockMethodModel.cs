namespace RedlockAspects.Generators.Model;

/// <summary>
/// What the generator writes for one <c>[DistributedLock]</c> method: the implementing declaration of
/// <see cref="Signature"/>, with either a lock <see cref="Wrapper"/> (a valid method) or a throwing
/// <see cref="Stub"/> (a method with RLK errors). Exactly one of the two is set. Strings and numbers only: no symbols,
/// syntax or locations.
/// </summary>
internal readonly record struct LockMethodModel(MethodSignatureModel Signature, WrapperModel? Wrapper, StubModel? Stub)
{
    public static LockMethodModel ForWrapper(MethodSignatureModel signature, WrapperModel wrapper) => new(signature, wrapper, null);

    public static LockMethodModel ForStub(MethodSignatureModel signature, StubModel stub) => new(signature, null, stub);
}

/// <summary>Where the partial method lives and how it is declared: enough to write its implementing declaration.</summary>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">The enclosing type declarations, outermost first.</param>
/// <param name="Modifiers">The partial declaration's modifiers without <c>partial</c> and <c>async</c> (e.g. <c>public static</c>).</param>
/// <param name="ReturnType">The fully qualified return type, with <c>ref</c> or <c>ref readonly</c> if it returns by reference.</param>
/// <param name="Name">The method's name (escaped if it is a keyword).</param>
/// <param name="TypeParameters">The method's type parameter list, e.g. <c>&lt;T&gt;</c>, or empty.</param>
/// <param name="Constraints">The method's constraint clauses, e.g. <c>where T : class</c>.</param>
/// <param name="Parameters">The parameters, in order.</param>
internal readonly record struct MethodSignatureModel(
    string HintName,
    string Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Modifiers,
    string ReturnType,
    string Name,
    string TypeParameters,
    EquatableArray<string> Constraints,
    EquatableArray<ParameterModel> Parameters);

/// <summary>The lock wrapper of a valid method: build the key, acquire, call the body, release.</summary>
/// <param name="ReturnsValue">True for <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c> whose value the body returns.</param>
/// <param name="ReportsRan">
/// True for an <c>OnBusy.Skip</c> method declared <c>Task&lt;bool&gt;</c> or <c>ValueTask&lt;bool&gt;</c> whose body returns
/// no value: the wrapper returns true when the body ran, false when the call was skipped.
/// </param>
/// <param name="CancellationTokenIndex">The index of the parameter linked with the lease's lost token, or -1.</param>
/// <param name="Key">How to build the resource key.</param>
/// <param name="Settings">The attribute's values.</param>
/// <param name="SettingsFieldName">The static field that holds the settings.</param>
/// <param name="EngineExpression">The expression that reads the <c>IRedlock</c>.</param>
/// <param name="CoreName">The body method's name.</param>
/// <param name="CoreTakesLease">Whether the body takes a trailing <c>RedlockLease</c>.</param>
internal readonly record struct WrapperModel(
    bool ReturnsValue,
    bool ReportsRan,
    int CancellationTokenIndex,
    KeyModel Key,
    LockSettingsModel Settings,
    string SettingsFieldName,
    string EngineExpression,
    string CoreName,
    bool CoreTakesLease);

/// <summary>
/// The throwing implementation of a method with RLK errors, so the compiler reports those rather than "partial method
/// must have an implementation".
/// </summary>
/// <param name="EngineReads">
/// Primary-constructor <c>IRedlock</c> parameters that the missing wrapper would have read: read in their place, or the
/// compiler adds CS9113 (parameter is unread) of its own.
/// </param>
/// <param name="EngineReaderName">The private instance method that reads them (a static stub cannot).</param>
internal readonly record struct StubModel(EquatableArray<string> EngineReads, string EngineReaderName);

/// <summary>One enclosing type declaration: <c>partial {Keyword} {Name}{TypeParameters}</c>.</summary>
internal readonly record struct ContainingTypeModel(string Keyword, string Name, string TypeParameters);

/// <summary>One parameter of the implementing declaration.</summary>
/// <param name="Name">The name, escaped if it is a keyword.</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="Prefix"><c>this </c>, <c>params </c>, <c>ref </c>, <c>out </c>, <c>in </c>, or empty.</param>
internal readonly record struct ParameterModel(string Name, string Type, string Prefix);

/// <summary>The attribute's values, validated.</summary>
internal readonly record struct LockSettingsModel(int TtlMs, int WaitMs, OnBusy OnBusy, bool AutoExtend, int MaxHoldMs, int MinHoldMs, bool Fencing, bool Reentrant)
{
    public bool IsSkip => OnBusy == OnBusy.Skip;
}

/// <summary>The resource key: null checks to run first, then the pieces of an interpolated string.</summary>
internal readonly record struct KeyModel(EquatableArray<NullCheckModel> NullChecks, EquatableArray<KeyPartModel> Parts)
{
    public bool IsConstant
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.IsValue)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>Literal text (<see cref="IsValue"/> false) or a value expression with an optional format.</summary>
internal readonly record struct KeyPartModel(bool IsValue, string Text, string? Format);

/// <summary>
/// A null check before the key is built. For a parameter (<see cref="Path"/> null) it throws
/// <c>ArgumentNullException</c>; for a member in a chain it throws <c>ArgumentException</c> naming the path.
/// </summary>
internal readonly record struct NullCheckModel(string Expression, string ParameterName, string? Path);
