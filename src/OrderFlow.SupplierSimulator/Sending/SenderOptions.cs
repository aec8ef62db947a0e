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

        error = Check(values);
        if (error is not null)
        {
            return null;
        }

        return new SenderOptions
        {
            Server = new Uri(values["server"].TrimEnd('/') + "/"),
            Merchant = values["merchant"],
            Secret = values["secret"],
            Count = values.TryGetValue("count", out var count) ? int.Parse(count, CultureInfo.InvariantCulture) : 25,
            Rate = values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 10,
            Seed = values.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : null,
            Prefix = values.GetValueOrDefault("prefix", "demo-"),
            RetryFor = TimeSpan.FromSeconds(values.TryGetValue("retry-for", out var retryFor) ? double.Parse(retryFor, CultureInfo.InvariantCulture) : 60),
        };
    }

    private static string? Check(Dictionary<string, string> values)
    {
        string[] known = ["server", "merchant", "secret", "count", "rate", "seed", "prefix", "retry-for"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return $"unknown option --{unknown}";
        }

        bool Bad(string key, Func<string, bool> valid) => values.TryGetValue(key, out var v) && !valid(v);
        static bool Number(string v, double min) => double.TryParse(v, CultureInfo.InvariantCulture, out var d) && d >= min;

        if (!values.TryGetValue("server", out var server) || !Uri.TryCreate(server, UriKind.Absolute, out _))
        {
            return "--server URL is required";
        }

        if (!values.TryGetValue("merchant", out var merchant) || merchant.Length == 0)
        {
            return "--merchant ID is required";
        }

        if (!values.TryGetValue("secret", out var secret) || !IsSecret(secret))
        {
            return "--secret whsec_<base64> is required";
        }

        return Bad("count", v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n > 0) ? "--count must be a positive integer"
            : Bad("rate", v => Number(v, double.Epsilon)) ? "--rate must be a positive number"
            : Bad("seed", v => int.TryParse(v, CultureInfo.InvariantCulture, out _)) ? "--seed must be an integer"
            : Bad("retry-for", v => Number(v, 0)) ? "--retry-for must be a number of seconds"
            : null;
    }

    private static bool IsSecret(string secret)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : "";
        return key.Length > 0 && Convert.TryFromBase64String(key, new byte[key.Length], out _);
    }
}
