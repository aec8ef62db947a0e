using System.Net.Mail;
using System.Text.RegularExpressions;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>Checks an intake order field by field; each error names the JSON path of the field at fault.</summary>
public static partial class IntakeValidator
{
    public const int MaxLines = 200;

    public static Dictionary<string, string[]> Validate(IntakeOrder order)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        Text(order.OrderId, "orderId", 1, 100, Add);
        if (order.Currency is null || !CurrencyPattern().IsMatch(order.Currency))
        {
            Add("currency", "Give a three-letter ISO 4217 currency code, e.g. EUR.");
        }

        if (order.Customer is not { } customer)
        {
            Add("customer", "The customer is required.");
        }
        else
        {
            Text(customer.Name, "customer.name", 1, 200, Add);
            if (customer.Email is null || customer.Email.Length > 254 || !MailAddress.TryCreate(customer.Email, out _))
            {
                Add("customer.email", "Give a valid e-mail address.");
            }

            if (customer.Phone is { Length: > 0 } phone && !PhonePattern().IsMatch(phone))
            {
                Add("customer.phone", "Give the phone number in E.164 form, e.g. +4915112345678.");
            }
        }

        if (order.ShippingAddress is not { } address)
        {
            Add("shippingAddress", "The shipping address is required.");
        }
        else
        {
            Text(address.Name, "shippingAddress.name", 1, 200, Add);
            Text(address.Line1, "shippingAddress.line1", 1, 200, Add);
            Text(address.City, "shippingAddress.city", 1, 100, Add);
            Text(address.PostalCode, "shippingAddress.postalCode", 1, 20, Add);
            if (address.Country is null || !CountryPattern().IsMatch(address.Country))
            {
                Add("shippingAddress.country", "Give a two-letter ISO 3166-1 country code, e.g. DE.");
            }
        }

        if (order.Lines is not { Count: > 0 } lines)
        {
            Add("lines", "An order needs at least one line.");
        }
        else if (lines.Count > MaxLines)
        {
            Add("lines", $"An order may have at most {MaxLines} lines.");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var at = $"lines[{i}]";
                if (line is null)
                {
                    Add(at, "A line cannot be null.");
                    continue;
                }

                Text(line.LineId, $"{at}.lineId", 1, 100, Add);
                if (line.LineId is not null && !seen.Add(line.LineId))
                {
                    Add($"{at}.lineId", $"Line id '{line.LineId}' appears twice.");
                }

                Text(line.Sku, $"{at}.sku", 1, 100, Add);
                if (line.Quantity is not (>= 1 and <= 10_000))
                {
                    Add($"{at}.quantity", "The quantity must be between 1 and 10000.");
                }

                if (line.UnitPrice is not (>= 0 and <= 1_000_000))
                {
                    Add($"{at}.unitPrice", "The unit price must be between 0 and 1000000.");
                }
            }
        }

        foreach (var (field, value) in Texts(order))
        {
            if (!StorableText.IsStorable(value))
            {
                Add(field, StorableText.Problem);
            }
        }

        if (order.Tags is { Count: > 20 })
        {
            Add("tags", "At most 20 tags.");
        }
        else if (order.Tags?.Any(t => t is null || t.Length is 0 or > 50) == true)
        {
            Add("tags", "Tags must be 1 to 50 characters.");
        }

        return errors;
    }

    /// <summary>Every text the order would store, with its field name.</summary>
    private static IEnumerable<(string Field, string? Value)> Texts(IntakeOrder order)
    {
        yield return ("orderId", order.OrderId);
        yield return ("currency", order.Currency);
        yield return ("customer.name", order.Customer?.Name);
        yield return ("customer.email", order.Customer?.Email);
        yield return ("customer.phone", order.Customer?.Phone);
        var a = order.ShippingAddress;
        foreach (var (field, value) in new[] { ("name", a?.Name), ("line1", a?.Line1), ("line2", a?.Line2), ("city", a?.City), ("postalCode", a?.PostalCode), ("region", a?.Region), ("country", a?.Country) })
        {
            yield return ("shippingAddress." + field, value);
        }

        for (var i = 0; i < (order.Lines?.Count ?? 0); i++)
        {
            var line = order.Lines![i];
            yield return ($"lines[{i}].lineId", line?.LineId);
            yield return ($"lines[{i}].sku", line?.Sku);
            yield return ($"lines[{i}].name", line?.Name);
        }

        for (var i = 0; i < (order.Tags?.Count ?? 0); i++)
        {
            yield return ($"tags[{i}]", order.Tags![i]);
        }
    }

    private static void Text(string? value, string field, int min, int max, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            add(field, "This field is required.");
        }
        else if (value.Length < min || value.Length > max)
        {
            add(field, $"This field must be {min} to {max} characters long.");
        }
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex PhonePattern();
}
