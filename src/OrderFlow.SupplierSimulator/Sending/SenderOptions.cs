using System.Globalization;

namespace OrderFlow.SupplierSimulator.Sending;

/// <summary>The <c>send-orders</c> command line.</summary>
public sealed class SenderOptions
{
    public const string Usage =
        "usage: send-orders --server URL --merchant ID --secret whsec_… [--count 25] [--rate 10] [--seed S] [--prefix demo-] [--retry-for 60]";

    public required Uri Server { get; init; }
    public required string Merchant { get; init; }
    public required string Secret { get; init; }
    public int Count { get; init; } = 25;

    /// <summary>Orders started per second; several may be in flight at once.</summary>
    public double Rate { get; init; } = 10;

    public int? Seed { get; init; }
    public string Prefix { get; init; } = "demo-";

    /// <summary>How long one order is retried before it counts as failed.</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Parses <paramref name="args"/> (without the leading <c>send-orders</c>); on failure returns null and says why.</summary>
    public static SenderOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }

            var eq = arg.IndexOf('=');
            if (eq > 0)
            {
                values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                error = $"{arg} needs a value";
                return null;
            }
        }

        error = values.Keys.Except(["server", "merchant", "secret", "count", "rate", "seed", "prefix", "retry-for"]).Select(k => $"unknown option --{k}").FirstOrDefault()
            ?? (!values.TryGetValue("server", out var server) || !Uri.TryCreate(server, UriKind.Absolute, out _) ? "--server URL is required" : null)
            ?? (!values.ContainsKey("merchant") ? "--merchant ID is required" : null)
            ?? (!values.TryGetValue("secret", out var secret) || !IsSecret(secret) ? "--secret whsec_<base64> is required" : null)
            ?? (values.TryGetValue("count", out var c) && !(int.TryParse(c, CultureInfo.InvariantCulture, out var count) && count > 0) ? "--count must be a positive integer" : null)
            ?? (values.TryGetValue("rate", out var r) && !(double.TryParse(r, CultureInfo.InvariantCulture, out var rate) && rate > 0) ? "--rate must be a positive number" : null)
            ?? (values.TryGetValue("seed", out var s) && !int.TryParse(s, CultureInfo.InvariantCulture, out _) ? "--seed must be an integer" : null)
            ?? (values.TryGetValue("retry-for", out var f) && !(double.TryParse(f, CultureInfo.InvariantCulture, out var rf) && rf >= 0) ? "--retry-for must be seconds" : null);
        if (error is not null)
        {
            return null;
        }

        return new SenderOptions
        {
            Server = new Uri(values["server"].TrimEnd('/') + "/"),
            Merchant = values["merchant"],
            Secret = values["secret"],
            Count = values.TryGetValue("count", out var cv) ? int.Parse(cv, CultureInfo.InvariantCulture) : 25,
            Rate = values.TryGetValue("rate", out var rv) ? double.Parse(rv, CultureInfo.InvariantCulture) : 10,
            Seed = values.TryGetValue("seed", out var sv) ? int.Parse(sv, CultureInfo.InvariantCulture) : null,
            Prefix = values.GetValueOrDefault("prefix", "demo-"),
            RetryFor = TimeSpan.FromSeconds(values.TryGetValue("retry-for", out var fv) ? double.Parse(fv, CultureInfo.InvariantCulture) : 60),
        };
    }

    private static bool IsSecret(string secret)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : "";
        return key.Length > 0 && Convert.TryFromBase64String(key, new byte[key.Length], out _);
    }
}
