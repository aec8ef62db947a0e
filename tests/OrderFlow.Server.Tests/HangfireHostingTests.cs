using System.Reflection;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

/// <summary>
/// How often the process's Hangfire workers ask the database for a job: a cost every process pays while idle, so it is a
/// setting (<c>OrderFlow:Server:HangfireQueuePollMilliseconds</c>) with a default of one second and a range.
/// </summary>
public sealed class HangfireHostingTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData(null, 1000)]
    [InlineData("2500", 2500)]
    public async Task QueuePoll_SettingOrDefault_IsTheIntervalHangfireStorageUses(string? setting, int expectedMilliseconds)
    {
        await using var server = new ServerFactory(_database.ConnectionString, setting is null
            ? null
            : new Dictionary<string, string?> { ["OrderFlow:Server:HangfireQueuePollMilliseconds"] = setting });
        _ = server.Server;

        var storage = Assert.IsType<PostgreSqlStorage>(server.Services.GetRequiredService<JobStorage>());
        // Hangfire.PostgreSql keeps the storage's options internal; read them the way its own queue does.
        var options = Assert.IsType<PostgreSqlStorageOptions>(typeof(PostgreSqlStorage)
            .GetProperty("Options", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(storage));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), options.QueuePollInterval);
    }

    [Theory]
    [InlineData("50")]
    [InlineData("60001")]
    public async Task QueuePoll_OutOfRange_ServerRefusesToStartNamingTheSetting(string setting)
    {
        await using var server = new ServerFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Server:HangfireQueuePollMilliseconds"] = setting,
        });

        var error = Record.Exception(() => server.Server);

        Assert.NotNull(error);
        Assert.Contains("HangfireQueuePollMilliseconds", error.ToString());
    }
}
