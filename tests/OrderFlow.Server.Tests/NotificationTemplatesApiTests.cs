using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

/// <summary>Merchants' message templates and SMS switch through the API: roles, validation with Fluid's error, preview, reset.</summary>
public sealed class NotificationTemplatesApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Get_NothingSaved_DefaultTemplateWithEveryPart()
    {
        var merchant = await NewMerchant();

        var template = (await fixture.Factory.ClientAs("viewer").GetFromJsonAsync<JsonObject>($"/api/merchants/{merchant}/templates/shipped/email"))!;
        var all = (await fixture.Factory.ClientAs("viewer").GetFromJsonAsync<JsonArray>($"/api/merchants/{merchant}/templates"))!;

        Assert.True((bool)template["isDefault"]!);
        Assert.Contains("{{ order.number }}", (string)template["subject"]!);
        Assert.Contains("{{ tracking_page_url }}", (string)template["html"]!);
        Assert.Equal(14, all.Count);
    }

    [Fact]
    public async Task Save_AsEditor_SavedVersionedAndUsedByPreview()
    {
        var merchant = await NewMerchant();
        var editor = fixture.Factory.ClientAs("editor");
        var body = new { subject = "On its way: {{ order.number }}", text = "Hi {{ customer.name }}", html = "<p>Hi {{ customer.name }}</p>" };

        var first = await editor.PutAsJsonAsync($"/api/merchants/{merchant}/templates/shipped/email", body);
        var second = await editor.PutAsJsonAsync($"/api/merchants/{merchant}/templates/shipped/email", body);
        var previewResponse = await editor.PostAsJsonAsync($"/api/merchants/{merchant}/templates/shipped/email/preview", new { });
        var preview = (await previewResponse.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var saved = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, (int)saved["version"]!);
        Assert.False((bool)saved["isDefault"]!);
        Assert.Equal("ops:editor", (string)saved["updatedBy"]!);
        Assert.True(previewResponse.StatusCode == HttpStatusCode.OK, await previewResponse.Content.ReadAsStringAsync());
        Assert.Equal("On its way: #1042", (string)preview["subject"]!);
        Assert.Equal("<p>Hi Ada Lovelace</p>", (string)preview["html"]!);
    }

    [Fact]
    public async Task Save_AsViewer_Forbidden()
    {
        var merchant = await NewMerchant();

        var response = await fixture.Factory.ClientAs("viewer").PutAsJsonAsync($"/api/merchants/{merchant}/templates/shipped/sms", new { text = "Shipped" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Save_HtmlDoesNotParse_ProblemNamesTheFieldWithFluidsError()
    {
        var merchant = await NewMerchant();

        var response = await fixture.Factory.ClientAs("editor").PutAsJsonAsync($"/api/merchants/{merchant}/templates/delivered/email",
            new { subject = "Delivered", text = "Delivered", html = "<p>{% for p in parcels %}{{ p.carrier }}</p>" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["html"], errors.Select(e => e.Key));
        Assert.Contains("does not parse", (string)errors["html"]![0]!);
        var current = (await fixture.Factory.ClientAs("viewer").GetFromJsonAsync<JsonObject>($"/api/merchants/{merchant}/templates/delivered/email"))!;
        Assert.True((bool)current["isDefault"]!);
    }

    [Fact]
    public async Task Preview_GivenTemplate_ValuesHtmlEncodedInHtmlOnly()
    {
        var merchant = await NewMerchant();

        var response = await fixture.Factory.ClientAs("viewer").PostAsJsonAsync($"/api/merchants/{merchant}/templates/exception/email/preview",
            new { subject = "{{ 'a < b' }}", text = "{{ '<b>' }}", html = "<p>{{ '<b>' }}</p>" });

        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a < b", (string)preview["subject"]!);
        Assert.Equal("<b>\n", (string)preview["text"]!);
        Assert.Equal("<p>&lt;b&gt;</p>", (string)preview["html"]!);
    }

    [Fact]
    public async Task Delete_OwnTemplate_DefaultAgainAndUnknownEventIsNotFound()
    {
        var merchant = await NewMerchant();
        var editor = fixture.Factory.ClientAs("editor");
        await editor.PutAsJsonAsync($"/api/merchants/{merchant}/templates/cancelled/sms", new { text = "Cancelled {{ order.number }}" });

        var deleted = await editor.DeleteAsync($"/api/merchants/{merchant}/templates/cancelled/sms");
        var again = await editor.DeleteAsync($"/api/merchants/{merchant}/templates/cancelled/sms");
        var unknown = await editor.GetAsync($"/api/merchants/{merchant}/templates/teleported/email");
        var current = (await editor.GetFromJsonAsync<JsonObject>($"/api/merchants/{merchant}/templates/cancelled/sms"))!;

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True((bool)current["isDefault"]!);
    }

    [Fact]
    public async Task Settings_SmsTurnedOnByEditor_ShownWithProviderAvailability()
    {
        var merchant = await NewMerchant();

        var missing = await fixture.Factory.ClientAs("editor").PutAsJsonAsync($"/api/merchants/{merchant}/notification-settings", new { });
        var saved = await fixture.Factory.ClientAs("editor").PutAsJsonAsync($"/api/merchants/{merchant}/notification-settings", new { smsEnabled = true });
        var read = (await fixture.Factory.ClientAs("viewer").GetFromJsonAsync<JsonObject>($"/api/merchants/{merchant}/notification-settings"))!;

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True((bool)read["smsEnabled"]!);
        Assert.False((bool)read["smsAvailable"]!);
    }

    private async Task<string> NewMerchant()
    {
        var merchant = "shop-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("INSERT INTO fulfillment.merchants (id, name) VALUES (@m, 'Shop')", connection);
        command.Parameters.AddWithValue("m", merchant);
        await command.ExecuteNonQueryAsync();
        return merchant;
    }
}
