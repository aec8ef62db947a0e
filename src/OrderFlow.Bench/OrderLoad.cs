using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OrderFlow.SupplierSimulator;

namespace OrderFlow.Bench;

/// <summary>
/// Plays the storefront: demo orders (the simulator's <see cref="DemoOrders"/>), signed with Standard Webhooks, posted to the
/// intake webhook. Every acknowledgement lands on the <see cref="Timeline"/> with its latency.
/// </summary>
public sealed class OrderLoad(Uri server, string merchant, string secret, string prefix, Timeline timeline) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    })
    { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };

    private readonly Random _random = new(42);
    private int _sequence;

    public int Failures => _failures;
    private int _failures;

    /// <summary>Sends one order; its latency counts from <paramref name="scheduled"/> (open-loop runs), so a late send is not hidden.</summary>
    public async Task<Guid?> SendAsync(long scheduled, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _sequence);
        DemoOrder order;
        lock (_random)
        {
            order = DemoOrders.Create(n, _random, prefix);
        }

        var body = DemoOrders.ToJson(order);
        var id = $"msg_{order.OrderId}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"webhooks/{merchant}/orders")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhooks.Sign(secret, id, timestamp, body));
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var latency = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                Interlocked.Increment(ref _failures);
                timeline.Failed();
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            timeline.Acked(latency);
            return json.RootElement.GetProperty("orderId").GetGuid();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            timeline.Failed();
            return null;
        }
    }

    /// <summary>Open loop: one order every 1/rate s for <paramref name="duration"/>, whatever the answers; returns the latencies.</summary>
    public async Task<List<(double Offset, double Ms)>> OfferAsync(int rate, TimeSpan duration, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<(double Offset, double Ms)>();
        var sends = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var count = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }

            sends.Add(Task.Run(async () =>
            {
                if (await SendAsync(due, ct) is not null)
                {
                    latencies.Add((Stopwatch.GetElapsedTime(start, due).TotalSeconds, Stopwatch.GetElapsedTime(due).TotalMilliseconds));
                }
            }, ct));
        }

        await Task.WhenAll(sends);
        return [.. latencies];
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders, each sending its next order when the last is acknowledged.</summary>
    public async Task<(int Acked, double Seconds)> SaturateAsync(int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var acked = 0;
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                if (await SendAsync(Stopwatch.GetTimestamp(), ct) is not null)
                {
                    Interlocked.Increment(ref acked);
                }
            }
        }, ct));
        await Task.WhenAll(senders);
        return (acked, clock.Elapsed.TotalSeconds);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Per-second counts of the whole run (acknowledgements, completions, latency), for the chart and the JSON.</summary>
public sealed class Timeline
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<Second> _seconds = [];
    private readonly List<(double At, string Phase)> _phases = [];

    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<(double At, string Phase)> Phases => _phases;

    public void Phase(string name)
    {
        lock (_lock)
        {
            _phases.Add((Now, name));
        }
    }

    public void Acked(double latencyMs)
    {
        lock (_lock)
        {
            var s = Current();
            s.Acks++;
            s.Latencies.Add(latencyMs);
        }
    }

    public void Failed()
    {
        lock (_lock)
        {
            Current().Failures++;
        }
    }

    public void Completed(int count)
    {
        lock (_lock)
        {
            Current().Completions += count;
        }
    }

    /// <summary>Empty Hangfire jobs the baseline saw succeed since its last look.</summary>
    public void EmptyJobsDone(int count)
    {
        lock (_lock)
        {
            Current().EmptyJobs += count;
        }
    }

    public void Rss(long bytes)
    {
        lock (_lock)
        {
            var s = Current();
            s.RssMb = Math.Max(s.RssMb, bytes / 1048576.0);
        }
    }

    public List<SecondPoint> Points()
    {
        lock (_lock)
        {
            return _seconds.Select((s, i) => new SecondPoint(i, s.Acks, s.Completions, s.Failures,
                s.Latencies.Count > 0 ? Stats.Percentile(s.Latencies, 0.99) : null, s.RssMb, s.EmptyJobs)).ToList();
        }
    }

    private Second Current()
    {
        var index = (int)Now;
        while (_seconds.Count <= index)
        {
            _seconds.Add(new Second());
        }

        return _seconds[index];
    }

    private sealed class Second
    {
        public int Acks;
        public int Completions;
        public int Failures;
        public int EmptyJobs;
        public double RssMb;
        public List<double> Latencies { get; } = [];
    }
}

/// <summary>One second of the run; <see cref="EmptyJobs"/> are the baseline's (absent from runs stored before 1 December 23:48: 0).</summary>
public sealed record SecondPoint(int Second, int Acks, int Completions, int Failures, double? P99Ms, double RssMb, int EmptyJobs = 0);

public static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
