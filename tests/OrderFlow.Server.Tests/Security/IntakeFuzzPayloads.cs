using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Builds one fuzzed intake body from a seed: a payload in the format's shape whose fields are valid, hostile (NUL, lone
/// surrogates, control and bidi characters, huge or exotic numbers, wrong types, deep nesting, long arrays, extra fields
/// such as status or total) or missing, then, for some, mutated at the byte level (flips, insertions, deletions, truncation).
/// </summary>
public static class IntakeFuzzPayloads
{
    public static readonly string[] Formats = ["standard", "batch", "shopify", "woocommerce", "aftership"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] HostileStrings =
    [
        "", " ", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "\u202eevil", "\u0007\u001b[31m", "<script>alert(1)</script>", "'; DROP TABLE fulfillment.orders;--",
        "{{7*7}}", "${jndi:ldap://x}", "../../etc/passwd", "%00", "\r\nSet-Cookie: a=b", "🙂🙂🙂", "ǅ", "\uFEFF", "null", "DE", "EUR", "ada@example.com",
        "+4915112345678", "1e400", "NaN", new string('x', 300), new string('é', 2000),
    ];

    private static readonly string[] HostileNumbers =
    [
        "0", "-0", "-1", "1", "12.5", "1e400", "-1e400", "1.5e-400", "99999999999999999999999999999", "0.0000000001", "1000000.01", "10000", "10001",
        "2147483648", "-2147483649", "9223372036854775808", "79228162514264337593543950336", "1E+2", "0x10", "01", ".5", "5.", "1e", "--1", "Infinity", "NaN",
    ];

    public static byte[] Build(string format, int seed, int mutation)
    {
        var random = new Random(seed);
        var json = format switch
        {
            "standard" => StandardOrder(random),
            "batch" => "{\"orders\":[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => StandardOrder(random))) + "]}",
            "shopify" => ShopifyOrder(random),
            "woocommerce" => WooOrder(random),
            _ => AfterShipEvent(random),
        };
        var bytes = Encoding.UTF8.GetBytes(json);
        return mutation switch
        {
            < 5 => bytes,
            < 8 => Mutate(bytes, random, random.Next(1, 4)),
            _ => Mutate(bytes, random, random.Next(4, 16)),
        };
    }

    private static byte[] Mutate(byte[] bytes, Random random, int edits)
    {
        var list = bytes.ToList();
        for (var i = 0; i < edits && list.Count > 0; i++)
        {
            var at = random.Next(list.Count);
            switch (random.Next(6))
            {
                case 0: list[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: list.Insert(at, (byte)random.Next(256)); break;
                case 2: list.RemoveAt(at); break;
                case 3: list.RemoveRange(at, list.Count - at); break;
                case 4: list.InsertRange(at, "{[\"\\:,]}"u8.ToArray()[..random.Next(1, 8)]); break;
                default: list.InsertRange(at, list.Skip(at).Take(random.Next(1, 64)).ToList()); break;
            }
        }

        return list.ToArray();
    }

    private static string StandardOrder(Random r) => Obj(r,
        ("orderId", () => Str("o-" + r.Next(1_000_000))),
        ("createdAt", () => Str(DateTimeOffset.UtcNow.AddMinutes(-r.Next(10_000)).ToString("O"))),
        ("currency", () => Str("EUR")),
        ("customer", () => Obj(r, ("name", () => Str("Ada Lovelace")), ("email", () => Str("ada@example.com")), ("phone", () => Str("+4915112345678")))),
        ("shippingAddress", () => Obj(r, ("name", () => Str("Ada")), ("line1", () => Str("Hauptstrasse 1")), ("line2", () => "null"), ("city", () => Str("Berlin")),
            ("postalCode", () => Str("10115")), ("region", () => "null"), ("country", () => Str("DE")))),
        ("lines", () => Arr(r, () => Obj(r, ("lineId", () => Str(r.Next(1, 9).ToString(CultureInfo.InvariantCulture))), ("sku", () => Str("MUG-BLUE")),
            ("name", () => Str("Mug")), ("quantity", () => r.Next(1, 5).ToString(CultureInfo.InvariantCulture)), ("unitPrice", () => "12.5")))),
        ("tags", () => Arr(r, () => Str("vip"))),
        ("status", () => Str("delivered")), ("total", () => "0.01"), ("sequence", () => "99"), ("id", () => Str(Guid.NewGuid().ToString())));

    private static string ShopifyOrder(Random r) => Obj(r,
        ("id", () => r.NextInt64(1, 1L << 50).ToString(CultureInfo.InvariantCulture)),
        ("email", () => Str("ada@example.com")), ("created_at", () => Str("2026-01-01T10:00:00+01:00")), ("currency", () => Str("EUR")), ("tags", () => Str("a, b")),
        ("customer", () => Obj(r, ("first_name", () => Str("Ada")), ("last_name", () => Str("Lovelace")), ("phone", () => Str("+1-555-123-4567")))),
        ("shipping_address", () => Obj(r, ("first_name", () => Str("Ada")), ("address1", () => Str("Main St 1")), ("city", () => Str("Berlin")), ("zip", () => Str("10115")),
            ("country_code", () => Str("DE")), ("province_code", () => "null"))),
        ("line_items", () => Arr(r, () => Obj(r, ("id", () => r.Next(1, 9).ToString(CultureInfo.InvariantCulture)), ("sku", () => Str("MUG-BLUE")),
            ("variant_id", () => "123"), ("name", () => Str("Mug")), ("quantity", () => "1"), ("price", () => Str("12.50"))))),
        ("financial_status", () => Str("paid")), ("total_price", () => Str("0.00")));

    private static string WooOrder(Random r) => Obj(r,
        ("id", () => r.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture)), ("currency", () => Str("EUR")), ("date_created_gmt", () => Str("2026-01-01T09:00:00")),
        ("billing", () => Obj(r, ("first_name", () => Str("Ada")), ("last_name", () => Str("Lovelace")), ("email", () => Str("ada@example.com")), ("phone", () => Str("+4915112345678")))),
        ("shipping", () => Obj(r, ("first_name", () => Str("Ada")), ("address_1", () => Str("Main St 1")), ("city", () => Str("Berlin")), ("postcode", () => Str("10115")),
            ("country", () => Str("DE")))),
        ("line_items", () => Arr(r, () => Obj(r, ("id", () => "1"), ("sku", () => Str("MUG-BLUE")), ("product_id", () => "7"), ("variation_id", () => "0"),
            ("name", () => Str("Mug")), ("quantity", () => "1"), ("price", () => "12.5")))),
        ("status", () => Str("completed")));

    private static string AfterShipEvent(Random r) => Obj(r,
        ("event", () => Str("tracking_update")), ("event_id", () => Str(Guid.NewGuid().ToString())),
        ("msg", () => Obj(r, ("tracking_number", () => Str("TRK" + r.Next(1000))), ("tag", () => Str("InTransit")), ("slug", () => Str("dhl")),
            ("checkpoints", () => Arr(r, () => Obj(r, ("checkpoint_time", () => Str("2026-01-01T10:00:00Z")), ("tag", () => Str("InTransit")),
                ("message", () => Str("Departed")), ("location", () => Str("Leipzig"))))))));

    /// <summary>An object whose fields are mostly valid, sometimes hostile, sometimes missing or repeated.</summary>
    private static string Obj(Random r, params (string Key, Func<string> Valid)[] fields)
    {
        if (r.Next(60) == 0)
        {
            return Hostile(r);
        }

        var parts = new List<string>();
        foreach (var (key, valid) in fields)
        {
            var roll = r.Next(100);
            if (roll < 6)
            {
                continue;
            }

            parts.Add(Str(key) + ":" + (roll < 88 ? valid() : Hostile(r)));
            if (roll == 99)
            {
                parts.Add(Str(key) + ":" + Hostile(r));
            }
        }

        return "{" + string.Join(",", parts) + "}";
    }

    private static string Arr(Random r, Func<string> item)
    {
        var count = r.Next(100) switch { < 3 => 0, < 90 => r.Next(1, 4), < 97 => r.Next(4, 40), < 99 => 201, _ => 1_000 };
        if (count > 50)
        {
            var one = item();
            return "[" + string.Join(",", Enumerable.Repeat(one, count)) + "]";
        }

        return "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => item())) + "]";
    }

    private static string Hostile(Random r) => r.Next(8) switch
    {
        0 => Str(HostileStrings[r.Next(HostileStrings.Length)], relaxed: r.Next(2) == 0),
        1 => HostileNumbers[r.Next(HostileNumbers.Length)],
        2 => new[] { "null", "true", "false", "{}", "[]", "[null]", "{\"\":null}" }[r.Next(7)],
        3 => new string('[', r.Next(10, 200)) + new string(']', r.Next(0, 200)),
        4 => string.Concat(Enumerable.Repeat("{\"a\":", r.Next(10, 100))) + "1" + new string('}', r.Next(0, 100)),
        5 => Str(new string((char)r.Next(0, 0x10000), r.Next(1, 20)), relaxed: true),
        6 => Str(string.Concat(Enumerable.Range(0, r.Next(1, 40)).Select(_ => (char)r.Next(0, 0x80)))),
        _ => "\"" + new string('\\', r.Next(1, 4)) + "u" + r.Next(0, 0xFFFF).ToString("x", CultureInfo.InvariantCulture) + "\"",
    };

    private static string Str(string value, bool relaxed = false) => JsonSerializer.Serialize(value, relaxed ? Relaxed : JsonSerializerOptions.Default);
}
