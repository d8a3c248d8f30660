using Connector.Core.Calendar;
using Connector.Core.Common;
using Connector.Core.Contacts;
using Connector.Core.Tasks;
using Connector.Vtenext.Database;
using Connector.Vtenext.Mapping;
using Connector.Vtenext.Webservice;

namespace Connector.Vtenext.Tests;

/// <summary>Domain records (Connector.Core) written to vtenext through the webservice and read back equal.</summary>
public sealed class DomainMappingTests : IAsyncLifetime
{
    private const string UserZone = "America/New_York";
    private VtenextSimulatorHost _crm = null!;
    private VtenextClient _client = null!;
    private readonly VtenextMapper _mapper = new(VtenextZones.FromIds("Europe/Rome", UserZone), "dd-mm-yyyy");

    public async Task InitializeAsync()
    {
        _crm = await VtenextSimulatorHost.StartAsync();
        (_client, _) = await _crm.ClientForNewUserAsync(UserZone);
    }

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private async Task<CalendarEvent> RoundTripAsync(CalendarEvent domain)
    {
        var created = await _client.CreateAsync(VtenextMapper.EventsModule, _mapper.FromEvent(DomainMapping.FromDomain(domain)));
        var attendees = await new VtenextTables(_crm.Database.ConnectionString).ReadAttendeesAsync(created.Id.CrmId, CancellationToken.None);
        var queried = (await _client.QueryAsync($"SELECT * FROM Events WHERE id = '{created.Id}';")).Single();
        return _mapper.ToEvent(queried, ValueSource.Query, attendees).ToDomain(UserZone);
    }

    [Fact]
    public async Task A_meeting_across_the_dst_gap_comes_back_equal()
    {
        var anna = await _crm.CreateUserAsync("anna", "anna@crm.example", "AKanna000000000", "Europe/Rome");
        var domain = new CalendarEvent
        {
            Subject = "Planning",
            // 9 March: New York already on summer time, Rome not.
            Span = EventSpan.Timed(new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 14, 30, 0, TimeSpan.Zero), UserZone),
            Location = "Room 4", Description = "Bring numbers", Sensitivity = Sensitivity.Private, ReminderMinutesBefore = 30,
            Organizer = new Organizer("integration@crm.example"),
            Attendees = ValueList.Of(new Attendee("anna@crm.example", kind: AttendeeKind.CrmUser, response: AttendeeResponse.Accepted, crmId: anna.Id)),
        };

        var back = await RoundTripAsync(domain);

        Assert.Equal(domain, back);
        Assert.Equal(Connector.Core.Sync.Fingerprint.Of(domain), Connector.Core.Sync.Fingerprint.Of(back));
    }

    [Fact]
    public async Task An_all_day_event_keeps_its_dates()
    {
        var domain = new CalendarEvent { Subject = "Trade fair", Span = EventSpan.AllDay(new DateOnly(2026, 10, 24), new DateOnly(2026, 10, 27)), Organizer = new Organizer("integration@crm.example") };

        var back = await RoundTripAsync(domain);

        Assert.Equal(domain, back);
    }

    [Fact]
    public async Task A_task_comes_back_equal()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById(UserZone);
        var domain = new TaskItem
        {
            Subject = "Prepare offer", Description = "for ACME", Status = TaskState.WaitingOnOthers, Priority = TaskPriority.High,
            StartDate = new DateOnly(2026, 3, 28), DueDate = new DateOnly(2026, 3, 31),
        };

        var created = await _client.CreateAsync(VtenextMapper.TasksModule, _mapper.FromTask(DomainMapping.FromDomain(domain, ny)));
        var back = _mapper.ToTask(await _client.RetrieveAsync(created.Id), ValueSource.Retrieve).ToDomain(ny);

        Assert.Equal(domain, back);
        Assert.Equal("Pending Input", created["taskstatus"]);
    }

    [Fact]
    public async Task A_contact_maps_to_the_domain_contact()
    {
        var created = await _client.CreateAsync(VtenextMapper.ContactsModule, new Dictionary<string, object?>
        {
            ["firstname"] = "Luca", ["lastname"] = "Neri", ["email"] = "luca@neri.example", ["mobile"] = "+39 333 1", ["phone"] = "+39 049 2",
            ["title"] = "CTO", ["department"] = "R&D", ["birthday"] = "1975-06-30", ["mailingcity"] = "Padova", ["mailingstreet"] = "Via Roma 1",
        });

        var contact = _mapper.ToContact(await _client.RetrieveAsync(created.Id)).ToDomain("Neri Srl");

        Assert.Equal(new Contact
        {
            FirstName = "Luca", LastName = "Neri", Emails = ValueList.Of("luca@neri.example"),
            Phones = ValueList.Of(new Phone(PhoneKind.Business, "+39 049 2"), new Phone(PhoneKind.Mobile, "+39 333 1")),
            MailingAddress = new PostalAddress("Via Roma 1", "Padova"), Company = "Neri Srl", JobTitle = "CTO", Department = "R&D",
            Birthday = new DateOnly(1975, 6, 30),
        }, contact);
    }
}
