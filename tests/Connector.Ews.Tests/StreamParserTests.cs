using System.IO.Pipelines;
using System.Text;
using System.Xml.Linq;
using Connector.Exchange.Ews.Streaming;

namespace Connector.Ews.Tests;

public sealed class StreamParserTests
{
    private static string Frame(string status, string? events = null) =>
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" +
        "<m:GetStreamingEventsResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" +
        "<m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>" +
        (events is null ? "" : $"<m:Notifications><m:Notification><t:SubscriptionId>sub-1</t:SubscriptionId>{events}</m:Notification></m:Notifications>") +
        $"<m:ConnectionStatus>{status}</m:ConnectionStatus></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></s:Body></s:Envelope>";

    [Fact]
    public async Task Each_envelope_is_handed_over_as_soon_as_it_is_complete_without_waiting_for_the_next()
    {
        var pipe = new Pipe();
        var frames = new List<StreamFrame>();
        var received = new SemaphoreSlim(0);
        var reading = Task.Run(async () =>
        {
            await foreach (var envelope in EnvelopeStreamReader.ReadAsync(pipe.Reader.AsStream()))
                foreach (var frame in StreamFrame.Parse(envelope)) { frames.Add(frame); received.Release(); }
        });

        // The first envelope arrives in two chunks, split inside a tag; nothing more follows for now.
        var first = Frame("OK", "<t:CreatedEvent><t:TimeStamp>2030-01-01T00:00:00Z</t:TimeStamp><t:ItemId Id=\"item-1\" ChangeKey=\"ck\"/></t:CreatedEvent>");
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(first[..100]));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(first[100..]));
        Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(2)), "the first envelope was held back");
        var created = Assert.Single(Assert.Single(frames).Events);
        Assert.Equal(("CreatedEvent", "item-1", "sub-1"), (created.EventType, created.ItemId!.Id, created.SubscriptionId));

        // A heartbeat, then the close, in one chunk.
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Frame("OK") + Frame("Closed")));
        await pipe.Writer.CompleteAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal([false, false, true], frames.Select(f => f.Closed));
        Assert.Empty(frames[1].Events);
    }

    [Fact]
    public async Task Silence_longer_than_allowed_ends_the_read_with_a_stream_silent_error()
    {
        var pipe = new Pipe();
        await using var watched = new WatchdogStream(pipe.Reader.AsStream(), TimeSpan.FromMilliseconds(200));
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Frame("OK")));

        var seen = 0;
        var e = await Assert.ThrowsAsync<StreamSilentException>(async () =>
        {
            await foreach (var _ in EnvelopeStreamReader.ReadAsync(watched)) seen++;
        });
        Assert.Equal(1, seen);
        Assert.Contains("0.2 s", e.Message);
    }

    [Fact]
    public void Error_frames_name_the_failed_subscriptions_in_either_namespace()
    {
        var envelope = XElement.Parse(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" +
            "<m:GetStreamingEventsResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" +
            "<m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass=\"Error\"><m:MessageText>x</m:MessageText>" +
            "<m:ResponseCode>ErrorMissedNotificationEvents</m:ResponseCode><m:ErrorSubscriptionIds><m:SubscriptionId>a</m:SubscriptionId><t:SubscriptionId>b</t:SubscriptionId></m:ErrorSubscriptionIds>" +
            "<m:ConnectionStatus>Closed</m:ConnectionStatus></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></s:Body></s:Envelope>");
        var frame = Assert.Single(StreamFrame.Parse(envelope));
        Assert.True(frame.IsError);
        Assert.True(frame.Closed);
        Assert.Equal(["a", "b"], frame.ErrorSubscriptionIds);
    }
}
