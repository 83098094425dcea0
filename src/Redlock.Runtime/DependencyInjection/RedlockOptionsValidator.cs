using Microsoft.Extensions.Options;

namespace RedlockAspects;

/// <summary>Checks <see cref="RedlockOptions"/> as a whole at start-up (single values are already checked by their setters).</summary>
internal sealed class RedlockOptionsValidator : IValidateOptions<RedlockOptions>
{
    public ValidateOptionsResult Validate(string? name, RedlockOptions options)
    {
        var problems = options.ValidationProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
