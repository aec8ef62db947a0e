using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment.Notifications;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// The SMS channel: POSTs <c>{"to","from","body","reference"}</c> as JSON to <see cref="SmsOptions.ProviderUrl"/> with
/// <c>Authorization: Bearer</c> and an <c>Idempotency-Key</c> (the notification id, so a retry after a lost answer does not
/// text the customer twice); a 2xx answer may name the message (<c>{"id": …}</c>). 5xx, 408, 429 and network errors are
/// retried by the outbox; any other 4xx is a refusal, recorded as failed at once.
/// </summary>
public sealed class HttpSmsSender(IHttpClientFactory httpClients, IOptions<SmsOptions> options) : INotificationChannel
{
    public const string HttpClientName = "sms-provider";

    public string Name => NotificationChannels.Sms;

    public async Task<string?> SendAsync(DueNotification notification, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new InvalidOperationException("SMS is disabled (OrderFlow:Sms:Enabled); the message waits for it to be enabled.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ProviderUrl)
        {
            Content = JsonContent.Create(new SmsRequest(notification.Recipient, settings.From, notification.Text, notification.Id.ToString())),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        request.Headers.Add("Idempotency-Key", notification.Id.ToString());
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return (await response.Content.ReadFromJsonAsync<SmsResponse>(ct))?.Id;
            }
            catch (System.Text.Json.JsonException)
            {
                // Sent all the same; some providers answer without a body.
                return null;
            }
        }

        var code = (int)response.StatusCode;
        var detail = await response.Content.ReadAsStringAsync(ct);
        var message = $"SMS provider answered HTTP {code}: {(detail.Length > 300 ? detail[..300] : detail)}";
        throw code is >= 400 and < 500 and not ((int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests)
            ? new NotificationRejectedException(message)
            : new HttpRequestException(message, null, response.StatusCode);
    }

    private sealed record SmsRequest(
        [property: JsonPropertyName("to")] string To,
        [property: JsonPropertyName("from")] string From,
        [property: JsonPropertyName("body")] string Body,
        [property: JsonPropertyName("reference")] string Reference);

    private sealed record SmsResponse([property: JsonPropertyName("id")] string? Id);
}
