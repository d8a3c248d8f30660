using Connector.Ews.Tests.Support;
using Connector.Exchange.Ews.Items;
using SimContact = Connector.Simulators.Mailboxes.ContactItem;
using SimTask = Connector.Simulators.Mailboxes.TaskItem;

namespace Connector.Ews.Tests;

public sealed class TaskAndContactTests(EwsServerFixture fixture) : IClassFixture<EwsServerFixture>
{
    private readonly EwsServer _server = fixture.Server;

    [Fact]
    public async Task Task_create_read_update_delete()
    {
        var alice = _server.AddMailbox("task-alice");
        using var client = _server.Client(alice);
        var due = new DateTimeOffset(2030, 5, 1, 17, 0, 0, TimeSpan.Zero);

        var id = await client.CreateTaskAsync(new TaskItem { Subject = "Call the customer", Body = "About the offer", DueDate = due, CrmId = "crm-t-7" });
        var read = (await client.GetTasksAsync([id])).Single()!;
        Assert.Equal("Call the customer", read.Subject);
        Assert.Equal(due, read.DueDate);
        Assert.Equal("NotStarted", read.Status);
        Assert.Equal("crm-t-7", read.CrmId);

        var updated = await client.UpdateTaskAsync(read.Id!, read with { Status = "Completed", DueDate = null });
        var after = (await client.GetTasksAsync([updated])).Single()!;
        Assert.Equal("Completed", after.Status);
        Assert.Null(after.DueDate);
        Assert.Equal(Connector.Simulators.Mailboxes.TaskStatus.Completed, alice.Find<SimTask>(id.Id)!.Status);

        await client.DeleteTaskAsync(updated, AffectedTaskOccurrences.AllOccurrences);
        Assert.Empty(alice.Items<SimTask>(alice.Tasks.Id));
    }

    [Fact]
    public async Task Contacts_go_into_the_dedicated_vtenext_folder_and_leave_the_users_own_contacts_alone()
    {
        var alice = _server.AddMailbox("contact-alice");
        alice.Create(alice.Contacts.Id, new SimContact { Id = "", FolderId = "", DisplayName = "Mum", GivenName = "Mum" });
        using var client = _server.Client(alice);

        var folder = await client.EnsureContactsFolderAsync();
        Assert.Equal(folder, await client.EnsureContactsFolderAsync()); // found, not created twice
        var id = await client.CreateContactAsync(folder, new ContactItem
        {
            GivenName = "Ada", Surname = "Lovelace", CompanyName = "Analytical Engines", Email = "ada@example.com",
            BusinessPhone = "+44 20 1234", MobilePhone = "+44 77 5678", JobTitle = "Engineer", CrmId = "crm-c-1",
        });

        var read = (await client.GetContactsAsync([id])).Single()!;
        Assert.Equal("Ada", read.GivenName);
        Assert.Equal("Lovelace", read.Surname);
        Assert.Equal("ada@example.com", read.Email);
        Assert.Equal("+44 20 1234", read.BusinessPhone);
        Assert.Equal("+44 77 5678", read.MobilePhone);
        Assert.Equal("crm-c-1", read.CrmId);
        var vtenext = Assert.Single(alice.Folders(Connector.Simulators.Mailboxes.FolderKind.Contacts), f => f.DisplayName == "vtenext");
        Assert.Equal(vtenext.Id, alice.Find<SimContact>(id.Id)!.FolderId);

        var updated = await client.UpdateContactAsync(read.Id!, read with { MobilePhone = null, JobTitle = "Countess" });
        var after = (await client.GetContactsAsync([updated])).Single()!;
        Assert.Null(after.MobilePhone);
        Assert.Equal("Countess", after.JobTitle);

        await client.DeleteContactAsync(updated);
        Assert.Empty(alice.Items<SimContact>(vtenext.Id));
        Assert.Equal("Mum", Assert.Single(alice.Items<SimContact>(alice.Contacts.Id)).DisplayName);
    }
}
