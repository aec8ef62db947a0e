namespace OrderFlow.SupplierSimulator.Tests;

public sealed class StandardWebhooksTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = "{\"test\": 2432232314}";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void Sign_ReferenceVector_MatchesTheStandardWebhooksLibraries()
    {
        var signature = StandardWebhooks.Sign(Secret, Id, Timestamp, Body);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Verify_OwnSignature_True()
    {
        var signature = StandardWebhooks.Sign(Secret, Id, Timestamp, Body);

        Assert.True(StandardWebhooks.Verify(Secret, Id, Timestamp.ToString(), Body, signature, At));
    }

    [Fact]
    public void Verify_OneOfSeveralSignaturesMatches_True()
    {
        var signature = "v1,Zm9vYmFy v2,abc " + StandardWebhooks.Sign(Secret, Id, Timestamp, Body);

        Assert.True(StandardWebhooks.Verify(Secret, Id, Timestamp.ToString(), Body, signature, At));
    }

    [Theory]
    [InlineData("body")]
    [InlineData("id")]
    [InlineData("timestamp")]
    [InlineData("stale")]
    [InlineData("garbage")]
    public void Verify_AnythingChanged_False(string change)
    {
        var signature = StandardWebhooks.Sign(Secret, Id, Timestamp, Body);

        var valid = change switch
        {
            "body" => StandardWebhooks.Verify(Secret, Id, Timestamp.ToString(), Body + " ", signature, At),
            "id" => StandardWebhooks.Verify(Secret, Id + "x", Timestamp.ToString(), Body, signature, At),
            "timestamp" => StandardWebhooks.Verify(Secret, Id, (Timestamp + 1).ToString(), Body, signature, At),
            "stale" => StandardWebhooks.Verify(Secret, Id, Timestamp.ToString(), Body, signature, At.AddMinutes(5).AddSeconds(1)),
            _ => StandardWebhooks.Verify(Secret, Id, "not-a-number", Body, "v1,!!!", At),
        };

        Assert.False(valid);
    }
}
