using System.Reflection;

namespace RedlockAspects.Generators.Tests;

/// <summary>
/// DistributedLockAttributeNames is linked into the generator as source, so nothing but this test ties its strings to
/// the attribute's properties: each name is a settable property, and each default is what a new attribute holds.
/// </summary>
public sealed class AttributeNamesTests
{
    private static readonly FieldInfo[] Constants = typeof(DistributedLockAttributeNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .ToArray();

    [Fact]
    public void Every_name_is_a_settable_property_of_the_attribute()
    {
        var names = Constants.Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var settable = typeof(DistributedLockAttribute).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);
        Assert.Equal(settable.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_default_is_what_a_new_attribute_holds()
    {
        var attribute = new DistributedLockAttribute("key");
        var defaults = Constants.Where(f => f.Name.StartsWith("Default", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(defaults);
        foreach (var field in defaults)
        {
            var property = typeof(DistributedLockAttribute).GetProperty(field.Name["Default".Length..])!;

            // OnBusy is compiled into both assemblies (the generator links its source), so compare enums by value.
            Assert.Equal(Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(property.GetValue(attribute), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
