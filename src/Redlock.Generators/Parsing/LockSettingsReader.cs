using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RedlockAspects.Generators.Diagnostics;
using RedlockAspects.Generators.Model;
using Names = RedlockAspects.DistributedLockAttributeNames;

namespace RedlockAspects.Generators.Parsing;

/// <summary>Reads and checks the attribute's named arguments (RLK0001 to RLK0004).</summary>
internal static class LockSettingsReader
{
    public static LockSettingsModel Read(IMethodSymbol method, AttributeData attribute, AttributeSyntax? syntax, DiagnosticCollector diagnostics)
    {
        var values = new Dictionary<string, object?>();
        foreach (var argument in attribute.NamedArguments)
        {
            values[argument.Key] = argument.Value.Value;
        }

        T Get<T>(string name, T fallback) => values.TryGetValue(name, out var value) && value is T typed ? typed : fallback;

        var settings = new LockSettingsModel(
            TtlMs: Get(Names.TtlMs, 0),
            WaitMs: Get(Names.WaitMs, Names.DefaultWaitMs),
            OnBusy: (OnBusy)Get(Names.OnBusy, (int)Names.DefaultOnBusy),
            AutoExtend: Get(Names.AutoExtend, Names.DefaultAutoExtend),
            MaxHoldMs: Get(Names.MaxHoldMs, Names.DefaultMaxHoldMs),
            MinHoldMs: Get(Names.MinHoldMs, Names.DefaultMinHoldMs),
            Fencing: Get(Names.Fencing, Names.DefaultFencing),
            Reentrant: Get(Names.Reentrant, Names.DefaultReentrant));

        if (!values.ContainsKey(Names.TtlMs))
        {
            diagnostics.Add(DiagnosticDescriptors.MissingTtl, AttributeLocations.Name(syntax), method.Name);
        }
        else if (settings.TtlMs <= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.NonPositiveTtl, AttributeLocations.Argument(syntax, Names.TtlMs), Text(settings.TtlMs));
        }

        void Invalid(string name, int value, string advice) =>
            diagnostics.Add(DiagnosticDescriptors.InvalidSettingValue, AttributeLocations.Argument(syntax, name), name, Text(value), advice);

        if (settings.WaitMs < -1)
        {
            Invalid(Names.WaitMs, settings.WaitMs, "use -1 for the engine's retry settings, 0 for a single attempt, or a wait budget in milliseconds");
        }

        if (settings.OnBusy is not (OnBusy.Throw or OnBusy.Skip))
        {
            Invalid(Names.OnBusy, (int)settings.OnBusy, $"use {nameof(OnBusy)}.{nameof(OnBusy.Throw)} or {nameof(OnBusy)}.{nameof(OnBusy.Skip)}");
        }

        if (settings.MaxHoldMs < 0)
        {
            Invalid(Names.MaxHoldMs, settings.MaxHoldMs, "use 0 for no limit, or a positive number of milliseconds");
        }
        else if (settings.MaxHoldMs > 0 && !settings.AutoExtend)
        {
            diagnostics.Add(DiagnosticDescriptors.MaxHoldWithoutAutoExtend, AttributeLocations.Argument(syntax, Names.MaxHoldMs), Text(settings.MaxHoldMs));
        }

        if (settings.MinHoldMs < 0)
        {
            Invalid(Names.MinHoldMs, settings.MinHoldMs, "use 0 to release at once, or a positive number of milliseconds");
        }

        return settings;
    }

    /// <summary>True when the attribute sets <c>OnBusy = OnBusy.Skip</c> (for the code fixes, which need no other value).</summary>
    public static bool IsSkip(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == Names.OnBusy && argument.Value.Value is int value)
            {
                return (OnBusy)value == OnBusy.Skip;
            }
        }

        return Names.DefaultOnBusy == OnBusy.Skip;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
