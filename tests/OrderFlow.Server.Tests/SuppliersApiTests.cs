using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class SuppliersApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static JsonObject Set(JsonObject supplier, string field, string value)
    {
        supplier[field] = value;
        return supplier;
    }

    private static JsonObject Supplier(string id) => new()
    {
        ["id"] = id, ["name"] = "Acme Two", ["protocol"] = "orderflow", ["baseUrl"] = "https://acme.example/api/",
        ["priority"] = 15, ["authType"] = "hmac", ["credentials"] = "key-1:0123456789abcdef-secret",
        ["timeoutSeconds"] = 7, ["rateLimitPerSecond"] = 2.5, ["rateLimitBurst"] = 5, ["liveStockCheck"] = true,
    };

    [Fact]
    public async Task Create_ValidSupplier_201WithSettingsButNeverTheCredentials()
    {
        var admin = server.Factory.ClientAs("admin");

        var created = await admin.PostAsJsonAsync("/api/suppliers", Supplier("acme-two"));
        var listed = await server.Factory.ClientAs("viewer").GetStringAsync("/api/suppliers");
        var one = await admin.GetFromJsonAsync<JsonObject>("/api/suppliers/acme-two");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("0123456789abcdef", await created.Content.ReadAsStringAsync());
        Assert.DoesNotContain("0123456789abcdef", listed);
        Assert.Contains("acme-two", listed);
        Assert.True(one!["hasCredentials"]!.GetValue<bool>());
        Assert.False(one["hasCallbackSecret"]!.GetValue<bool>());
        Assert.Equal("hmac", one["authType"]!.GetValue<string>());
        Assert.Equal("https://acme.example/api", one["baseUrl"]!.GetValue<string>());
        Assert.Equal(7, one["timeoutSeconds"]!.GetValue<int>());
        Assert.Equal(2.5, one["rateLimitPerSecond"]!.GetValue<double>());
        Assert.Equal(5, one["rateLimitBurst"]!.GetValue<int>());
        Assert.True(one["stockCheckSupported"]!.GetValue<bool>());
        await AssertStoredEncryptedAsync("acme-two", "key-1:0123456789abcdef-secret");
    }

    [Theory]
    [InlineData("protocol", "soap")]
    [InlineData("baseUrl", "ftp://acme.example/")]
    [InlineData("baseUrl", "/relative")]
    [InlineData("priority", -1)]
    [InlineData("authType", "oauth")]
    [InlineData("credentials", "no-colon-here")]
    [InlineData("timeoutSeconds", 0)]
    [InlineData("rateLimitPerSecond", 0)]
    [InlineData("callbackSecret", "not-a-whsec")]
    public async Task Create_BadField_400NamingTheField(string field, object value)
    {
        var supplier = Supplier("bad-" + field.ToLowerInvariant());
        supplier[field] = JsonValue.Create(value);

        var response = await server.Factory.ClientAs("admin").PostAsJsonAsync("/api/suppliers", supplier);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Single(problem["errors"]!.AsObject());
    }

    [Fact]
    public async Task Create_WrongJsonType_400NamingTheField()
    {
        var supplier = Supplier("typed");
        supplier["priority"] = "first";

        var response = await server.Factory.ClientAs("admin").PostAsJsonAsync("/api/suppliers", supplier);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["priority"]);
    }

    [Fact]
    public async Task Create_LiveStockCheckOnProtocolWithout_400NamingLiveStockCheck()
    {
        var supplier = Supplier("hub-two");
        supplier["protocol"] = "parcelhub-v2";

        var response = await server.Factory.ClientAs("admin").PostAsJsonAsync("/api/suppliers", supplier);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["liveStockCheck"]);
    }

    [Fact]
    public async Task Create_SameIdTwice_409()
    {
        var admin = server.Factory.ClientAs("admin");
        await admin.PostAsJsonAsync("/api/suppliers", Supplier("twice"));

        var again = await admin.PostAsJsonAsync("/api/suppliers", Supplier("twice"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Update_WithoutCredentials_KeepsThemAndAppliesTheRest()
    {
        var admin = server.Factory.ClientAs("admin");
        await admin.PostAsJsonAsync("/api/suppliers", Supplier("keeper"));
        var change = Supplier("keeper");
        change.Remove("credentials");
        change["name"] = "Keeper renamed";
        change["timeoutSeconds"] = null;
        change["callbackSecret"] = "whsec_" + Convert.ToBase64String(new byte[32]);

        var response = await admin.PutAsJsonAsync("/api/suppliers/keeper", change);
        var saved = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Keeper renamed", saved!["name"]!.GetValue<string>());
        Assert.Null(saved["timeoutSeconds"]);
        Assert.True(saved["hasCallbackSecret"]!.GetValue<bool>());
        Assert.DoesNotContain("whsec_", await response.Content.ReadAsStringAsync());
        await AssertStoredEncryptedAsync("keeper", "key-1:0123456789abcdef-secret");
    }

    [Fact]
    public async Task Save_PrivateBaseUrlWhenConfigurationForbids_400NamingBaseUrlAndNothingStored()
    {
        await using var strict = new ServerFactory(server.Database.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:Fulfillment:AllowPrivateSupplierTargets"] = "false" });
        var admin = strict.ClientAs("admin");
        // A public literal needs no DNS: accepted, and the base of the update attempts below.
        var accepted = await admin.PostAsJsonAsync("/api/suppliers", Set(Supplier("ssrf-public"), "baseUrl", "https://93.184.216.34/api"));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);

        string[] refused = ["http://10.0.0.1/api", "http://169.254.169.254/latest/meta-data", "http://localhost:5090/api", "http://[::1]/api", "http://[::ffff:10.0.0.1]/api",
            "http://[::ffff:169.254.169.254]/api", "http://2130706433/api"];
        foreach (var (url, i) in refused.Select((u, i) => (u, i)))
        {
            var created = await admin.PostAsJsonAsync("/api/suppliers", Set(Supplier($"ssrf-{i}"), "baseUrl", url));
            var updated = await admin.PutAsJsonAsync("/api/suppliers/ssrf-public", Set(Supplier("ssrf-public"), "baseUrl", url));

            foreach (var response in new[] { created, updated })
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
                var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
                Assert.Contains("private, loopback or link-local", (string)errors["baseUrl"]![0]!);
                Assert.Single(errors);
            }
        }

        var listed = await admin.GetFromJsonAsync<JsonArray>("/api/suppliers");
        Assert.DoesNotContain(listed!, x => ((string)x!["id"]!).StartsWith("ssrf-", StringComparison.Ordinal) && (string)x["id"]! != "ssrf-public");
        Assert.Equal("https://93.184.216.34/api", (string)(await admin.GetFromJsonAsync<JsonObject>("/api/suppliers/ssrf-public"))!["baseUrl"]!);
    }

    [Fact]
    public async Task Update_AuthTypeChangedWithoutCredentials_400NamingCredentials()
    {
        var admin = server.Factory.ClientAs("admin");
        await admin.PostAsJsonAsync("/api/suppliers", Supplier("switcher"));
        var change = Supplier("switcher");
        change.Remove("credentials");
        change["authType"] = "basic";

        var response = await admin.PutAsJsonAsync("/api/suppliers/switcher", change);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["credentials"]);
    }

    [Fact]
    public async Task Update_UnknownSupplier_404()
    {
        var response = await server.Factory.ClientAs("admin").PutAsJsonAsync("/api/suppliers/nobody", Supplier("nobody"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task Create_NotAdmin_403(string user)
    {
        var response = await server.Factory.ClientAs(user).PostAsJsonAsync("/api/suppliers", Supplier("by-" + user));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task List_Anonymous_401()
    {
        var response = await server.Factory.ClientAs(null).GetAsync("/api/suppliers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Protocols_Viewer_ListsBothWithTheirStockCapability()
    {
        var protocols = await server.Factory.ClientAs("viewer").GetFromJsonAsync<JsonArray>("/api/supplier-protocols");

        Assert.Contains(protocols!, p => p!["name"]!.GetValue<string>() == "orderflow" && p["liveStockCheck"]!.GetValue<bool>());
        Assert.Contains(protocols!, p => p!["name"]!.GetValue<string>() == "parcelhub-v2" && !p["liveStockCheck"]!.GetValue<bool>());
    }

    /// <summary>Stored encrypted (never as typed), and what the connector decrypts is what was typed.</summary>
    private async Task AssertStoredEncryptedAsync(string supplierId, string credentials)
    {
        await using var command = server.Database.DataSource.CreateCommand($"SELECT api_key FROM fulfillment.suppliers WHERE id = '{supplierId}'");
        var stored = (string)(await command.ExecuteScalarAsync())!;
        Assert.StartsWith("enc:", stored);
        Assert.DoesNotContain(credentials, stored);
        var protector = server.Factory.Services.GetRequiredService<ISecretProtector>();
        Assert.Equal(credentials, protector.Unprotect(stored, SecretPurposes.SupplierApiKey));
    }
}
