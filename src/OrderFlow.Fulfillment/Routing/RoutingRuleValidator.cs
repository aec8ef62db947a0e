namespace OrderFlow.Fulfillment.Routing;

/// <summary>Checks routing rules field by field; each error names the path of the field at fault, e.g. <c>rules[1].strategy.type</c>.</summary>
public static class RoutingRuleValidator
{
    public const int MaxRules = 50;

    public static Dictionary<string, string[]> Validate(IReadOnlyList<RoutingRule?>? rules)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        if (rules is null)
        {
            Add("rules", "Send the list of rules (it may be empty).");
            return errors;
        }

        if (rules.Count > MaxRules)
        {
            Add("rules", $"At most {MaxRules} rules.");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                Add(at, "A rule cannot be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 100)
            {
                Add($"{at}.name", "Give the rule a name of 1 to 100 characters.");
            }

            if (rule.Filter is { } filter)
            {
                if (filter.Countries?.Any(c => c is not { Length: 2 } || !c.All(char.IsAsciiLetterUpper)) == true)
                {
                    Add($"{at}.filter.countries", "Use two-letter upper-case ISO 3166-1 codes, e.g. DE.");
                }

                if (filter.MinOrderValue is < 0 || filter.MaxOrderValue is < 0 || filter.MinOrderValue > filter.MaxOrderValue)
                {
                    Add($"{at}.filter.minOrderValue", "Order values must be non-negative, with the minimum not above the maximum.");
                }
            }

            var strategy = rule.Strategy ?? new RuleStrategy();
            if (!RoutingStrategies.All.Contains(strategy.Type))
            {
                Add($"{at}.strategy.type", $"Use one of: {string.Join(", ", RoutingStrategies.All)}.");
            }

            if (!SingleSupplierModes.All.Contains(strategy.SingleSupplier))
            {
                Add($"{at}.strategy.singleSupplier", $"Use one of: {string.Join(", ", SingleSupplierModes.All)}.");
            }

            if (strategy.SplitAboveValue is < 0)
            {
                Add($"{at}.strategy.splitAboveValue", "The threshold must not be negative.");
            }

            if (!RoutingFallbacks.All.Contains(rule.Fallback))
            {
                Add($"{at}.fallback", $"Use one of: {string.Join(", ", RoutingFallbacks.All)}.");
            }
            else if (rule.CancelAfter is not null && rule.Fallback != RoutingFallbacks.Cancel)
            {
                Add($"{at}.cancelAfter", "cancelAfter only applies with fallback 'cancel'.");
            }
        }

        return errors;
    }
}
