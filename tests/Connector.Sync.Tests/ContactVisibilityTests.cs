using System.Globalization;
using Connector.Exchange.Graph.Client;
using Connector.Vtenext.Webservice;

namespace Connector.Sync.Tests;

/// <summary>
/// Issue 6, contact sync mode "visible" for live changes: a contact lives in the mailbox of every synced user who can
/// see it in vtenext (Contacts private by default; Bob reads Alice's contacts through a sharing rule; a group's contacts
/// are seen by its members), and a mode switch changes what the mailboxes hold without touching the CRM.
/// </summary>
public class ContactVisibilityTests : TwoUserScenario
{
    private const int ContactsTab = 4;

    // The sharing rule an admin sets in vtenext ("Alice's contacts can be read by Bob"), as vtenext materialises it.
    protected override Task BeforeUsersEnabledAsync() =>
        W.CrmExecuteAsync("INSERT INTO vte_tmp_read_user_sharing_per (userid, tabid, shareduserid) VALUES (@bob, @tab, @alice)",
            new { bob = W.BobId, alice = W.AliceId, tab = ContactsTab });

    [Fact]
    public async Task In_visible_mode_a_live_contact_create_update_and_delete_reach_every_synced_user_who_can_see_it()
    {
        await W.SetContactSyncModeAsync("visible");
        await W.QuietAsync(60);

        // Alice's contact: Alice owns it, Bob reads it through the sharing rule.
        var carla = await CreateContactAsync("Carla", "Bianchi", await W.OwnerIdAsync(W.AliceId));
        Assert.Equal("Bianchi", (await EventuallyCopyAsync(SyncWorld.Alice, carla)).Surname);
        Assert.Equal("Bianchi", (await EventuallyCopyAsync(SyncWorld.Bob, carla)).Surname);

        // A contact of a group only Bob belongs to: Bob sees it, Alice does not.
        var sales = await W.CreateCrmGroupAsync("Sales", W.BobId);
        var dario = await CreateContactAsync("Dario", "Neri", sales);
        // Bob's own contact: no rule lets Alice see it.
        var elena = await CreateContactAsync("Elena", "Verdi", await W.OwnerIdAsync(W.BobId));
        await EventuallyCopyAsync(SyncWorld.Bob, dario);
        await EventuallyCopyAsync(SyncWorld.Bob, elena);
        await W.QuietAsync();
        Assert.Null(await CopyAsync(SyncWorld.Alice, dario));
        Assert.Null(await CopyAsync(SyncWorld.Alice, elena));

        // An update reaches both copies; a delete removes both (the CRM's delete is the explicit signal).
        await W.CrmReviseAsync("Contacts", carla, new() { ["lastname"] = "Bianchi-Rossi" });
        await SyncWorld.Eventually(async () => (await CopyAsync(SyncWorld.Alice, carla))?.Surname == "Bianchi-Rossi" ? (object)true : null, "Alice's copy updated");
        await SyncWorld.Eventually(async () => (await CopyAsync(SyncWorld.Bob, carla))?.Surname == "Bianchi-Rossi" ? (object)true : null, "Bob's copy updated");
        await W.CrmDeleteAsync("Contacts", carla);
        await SyncWorld.Eventually(async () => await CopyAsync(SyncWorld.Alice, carla) is null && await CopyAsync(SyncWorld.Bob, carla) is null ? (object)true : null,
            "both copies removed");
        Assert.Equal(2, await ContactCopiesAsync(SyncWorld.Bob));
        Assert.Equal(0, await ContactCopiesAsync(SyncWorld.Alice));
        Assert.Empty(await W.FailedJobsAsync());
    }

    [Fact]
    public async Task Switching_visible_to_owned_removes_only_what_users_just_saw_off_keeps_every_copy_and_nothing_changes_in_the_crm()
    {
        var carla = await CreateContactAsync("Carla", "Bianchi", await W.OwnerIdAsync(W.AliceId));
        await W.SetContactSyncModeAsync("visible");
        await EventuallyCopyAsync(SyncWorld.Alice, carla);
        await EventuallyCopyAsync(SyncWorld.Bob, carla);
        await W.QuietAsync(60);

        // Owned: Bob only saw Carla, so his copy goes; Alice owns her, so hers stays.
        await W.SetContactSyncModeAsync("owned");
        await SyncWorld.Eventually(async () => await CopyAsync(SyncWorld.Bob, carla) is null ? (object)true : null, "Bob's copy removed");
        await W.QuietAsync(60);
        Assert.NotNull(await CopyAsync(SyncWorld.Alice, carla));

        // Off: nothing is deleted anywhere, and CRM changes are no longer pushed.
        await W.SetContactSyncModeAsync("off");
        await W.QuietAsync(60);
        await W.CrmReviseAsync("Contacts", carla, new() { ["title"] = "Changed while off" });
        await W.QuietAsync(60);
        var kept = await CopyAsync(SyncWorld.Alice, carla);
        Assert.NotNull(kept);
        Assert.NotEqual("Changed while off", kept.JobTitle);

        // Visible again: Bob gets the contact back, Alice's copy catches up; one copy each, no duplicates.
        await W.SetContactSyncModeAsync("visible");
        await SyncWorld.Eventually(async () => (await CopyAsync(SyncWorld.Bob, carla))?.JobTitle == "Changed while off" ? (object)true : null, "Bob's copy back");
        await SyncWorld.Eventually(async () => (await CopyAsync(SyncWorld.Alice, carla))?.JobTitle == "Changed while off" ? (object)true : null, "Alice's copy caught up");
        await W.QuietAsync(60);
        Assert.Equal(1, await ContactCopiesAsync(SyncWorld.Alice));
        Assert.Equal(1, await ContactCopiesAsync(SyncWorld.Bob));

        // The CRM never lost anything: the contact is there, unchanged by the switches.
        Assert.Equal(0, await W.CrmScalarAsync<int>("SELECT deleted FROM vte_crmentity WHERE crmid = @id", new { id = carla.CrmId }));
        Assert.Equal("Bianchi", await W.CrmScalarAsync<string>("SELECT lastname FROM vte_contactdetails WHERE contactid = @id", new { id = carla.CrmId }));
        Assert.Empty(await W.FailedJobsAsync());
    }

    private async Task<ElementId> CreateContactAsync(string first, string last, string ownerId)
    {
        var created = await W.Crm.CreateAsync("Contacts", new Dictionary<string, object?>
        {
            ["firstname"] = first, ["lastname"] = last, ["email"] = $"{first.ToLowerInvariant()}@customer.example", ["title"] = "Buyer",
            ["assigned_user_id"] = ownerId,
        });
        await W.NoticeAsync("Contacts", created.Id, "save");
        return created.Id;
    }

    private async Task<Connector.Exchange.Graph.Models.Contact?> CopyAsync(string mailbox, ElementId contact)
    {
        var client = W.Mailbox(mailbox);
        var folder = await client.EnsureContactFolderAsync();
        return (await client.FindContactsByCrmIdAsync(folder.Id!, contact.CrmId.ToString(CultureInfo.InvariantCulture))).SingleOrDefault();
    }

    private Task<Connector.Exchange.Graph.Models.Contact> EventuallyCopyAsync(string mailbox, ElementId contact) =>
        SyncWorld.Eventually(() => CopyAsync(mailbox, contact), $"contact {contact.CrmId} in {mailbox}'s {GraphMailboxClient.DefaultContactFolderName} folder");

    private async Task<int> ContactCopiesAsync(string mailbox)
    {
        var client = W.Mailbox(mailbox);
        var folder = await client.EnsureContactFolderAsync();
        return (await client.ContactsDeltaAsync(folder.Id!, null)).Items.Count(c => c.Removed is null);
    }
}

public sealed class EwsContactVisibilityTests : ContactVisibilityTests
{
    protected override ExchangeProtocol Protocol => ExchangeProtocol.Ews;
}
