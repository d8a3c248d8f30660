// Conformance scenario: @microsoft/microsoft-graph-client (Microsoft's JS SDK core) against the simulator.
// Create an event with an attendee, read it, delta, update, delete — and check what a Graph user would check.
// The simulator's CA is trusted through NODE_EXTRA_CA_CERTS (validation stays on).
import { Client } from "@microsoft/microsoft-graph-client";

const base = process.env.GRAPH_SIM_URL;                 // e.g. https://127.0.0.1:PORT
const tenant = process.env.GRAPH_SIM_TENANT;
const clientId = process.env.GRAPH_SIM_CLIENT_ID;
const clientSecret = process.env.GRAPH_SIM_CLIENT_SECRET;
const organizer = "js-organizer@contoso.com";
const attendee = "js-attendee@contoso.com";

let passed = 0, failed = 0;
function check(name, condition, detail = "") {
  if (condition) { passed++; console.log(`  ok   ${name}`); }
  else { failed++; console.log(`  FAIL ${name} ${detail}`); }
}

async function token() {
  const response = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" }),
  });
  const body = await response.json();
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

const accessToken = await token();
// customHosts: the SDK only attaches the token to hosts it knows are Graph (the simulator is one).
const client = Client.init({ baseUrl: `${base}/`, defaultVersion: "v1.0", customHosts: new Set([new URL(base).hostname]), authProvider: (done) => done(null, accessToken) });

const start = "2031-02-03T09:00:00", end = "2031-02-03T10:00:00";
const created = await client.api(`/users/${organizer}/events`)
  .header("Prefer", 'outlook.timezone="UTC"')
  .post({
    subject: "JS conformance meeting",
    start: { dateTime: start, timeZone: "UTC" }, end: { dateTime: end, timeZone: "UTC" },
    attendees: [{ type: "required", emailAddress: { address: attendee, name: "JS Attendee" } }],
    transactionId: "js-tx-1",
  });
check("create returns an id and changeKey", !!created.id && !!created.changeKey);
check("organizer is the mailbox", created.organizer?.emailAddress?.address === organizer && created.isOrganizer === true);

const read = await client.api(`/users/${organizer}/events/${created.id}`).get();
check("read back subject and attendee", read.subject === "JS conformance meeting" && read.attendees?.[0]?.emailAddress?.address === attendee);
check("start is the instant written", read.start.dateTime.startsWith("2031-02-03T09:00:00") && read.start.timeZone === "UTC");

// Delta over the attendee's calendar view: the invitation arrived, with the same iCalUId.
const window = "startDateTime=2031-02-01T00:00:00Z&endDateTime=2031-02-28T00:00:00Z";
let page = await client.api(`/users/${attendee}/calendarView/delta?${window}`).get();
const invitations = [...page.value];
while (page["@odata.nextLink"]) { page = await client.api(page["@odata.nextLink"]).get(); invitations.push(...page.value); }
const deltaLink = page["@odata.deltaLink"];
check("delta ends with a deltaLink", typeof deltaLink === "string" && deltaLink.includes("$deltatoken="));
check("invitation in attendee mailbox with same iCalUId", invitations.length === 1 && invitations[0].iCalUId === created.iCalUId && invitations[0].isOrganizer === false);

const updated = await client.api(`/users/${organizer}/events/${created.id}`).patch({ subject: "JS conformance meeting (moved)", location: { displayName: "Room 7" } });
check("update returns the new subject and a new changeKey", updated.subject.endsWith("(moved)") && updated.changeKey !== created.changeKey);

const changes = await client.api(deltaLink).get();
check("delta after update shows the attendee copy changed", changes.value.length === 1 && changes.value[0].location?.displayName === "Room 7");

await client.api(`/users/${organizer}/events/${created.id}`).delete();
let gone = false;
try { await client.api(`/users/${organizer}/events/${created.id}`).get(); }
catch (e) { gone = e.statusCode === 404 && e.code === "ErrorItemNotFound"; }
check("deleted event answers 404 ErrorItemNotFound through the SDK's error parsing", gone);

const after = await client.api(changes["@odata.deltaLink"]).get();
check("organizer's delete cancels the attendee copy", after.value.length === 1 && after.value[0].isCancelled === true);

// A $batch through the SDK's BatchRequestContent shape.
const batch = await client.api("/$batch").post({ requests: [
  { id: "1", method: "GET", url: `/users/${organizer}/todo/lists` },
  { id: "2", method: "GET", url: `/users/nobody@contoso.com/events` },
] });
const byId = Object.fromEntries(batch.responses.map(r => [r.id, r]));
check("$batch answers each request with its own status", byId["1"]?.status === 200 && byId["2"]?.status === 404);

console.log(`${passed} passed, ${failed} failed`);
if (process.env.RESULT_FILE) (await import("node:fs")).writeFileSync(process.env.RESULT_FILE, `${passed} ${failed}\n`);
process.exit(failed === 0 ? 0 : 1);
