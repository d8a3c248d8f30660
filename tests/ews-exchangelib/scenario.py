#!/usr/bin/python3
"""exchangelib (an independent EWS client) against the EWS simulator, authenticating with NTLM:
create a calendar item, read it, sync_items, a streaming subscription that receives a change, delete.
Usage: scenario.py EWS_URL DOMAIN\\user PASSWORD SMTP_ADDRESS  -- prints one line per check, exits 1 on failure."""
import datetime
import logging
import os
import sys

from exchangelib import Account, CalendarItem, Configuration, Credentials, DELEGATE, EWSTimeZone, NTLM, Build, Version
from exchangelib.items import SEND_TO_NONE

url, user, password, address = sys.argv[1:5]
if os.environ.get("EXCHANGELIB_DEBUG"):
    logging.basicConfig(level=logging.DEBUG)

passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


config = Configuration(service_endpoint=url, credentials=Credentials(user, password), auth_type=NTLM,
                       version=Version(build=Build(15, 1, 2507, 6)))
account = Account(primary_smtp_address=address, config=config, autodiscover=False, access_type=DELEGATE,
                  default_timezone=EWSTimeZone("UTC"))
tz = EWSTimeZone("UTC")
calendar = account.calendar

# sync_items from scratch: the folder is empty
initial = list(calendar.sync_items())
state = calendar.item_sync_state
check("initial sync_items on an empty calendar", initial == [] and bool(state), repr(initial))

# create
start = datetime.datetime(2030, 11, 4, 9, 0, tzinfo=tz)
item = CalendarItem(account=account, folder=calendar, subject="exchangelib meeting", body="from python",
                    start=start, end=start + datetime.timedelta(hours=1), location="Room 7")
item.save(send_meeting_invitations=SEND_TO_NONE)
check("create returns an id and changekey", bool(item.id) and bool(item.changekey))

# read
fetched = list(account.fetch(ids=[(item.id, item.changekey)]))
read = fetched[0] if fetched else None
check("read back subject, location, start",
      read is not None and read.subject == "exchangelib meeting" and read.location == "Room 7" and read.start == start,
      repr(read and (read.subject, read.location, read.start)))

# sync_items: the new item shows up as a create
changes = list(calendar.sync_items(sync_state=state))
state = calendar.item_sync_state
check("sync_items reports the create", [c[0] for c in changes] == ["create"] and changes[0][1].id == item.id, repr(changes))

# streaming: subscribe, change the item, receive the ModifiedEvent
subscription_id = calendar.subscribe_to_streaming()
check("subscribe_to_streaming returns an id", bool(subscription_id))
read.subject = "exchangelib meeting (moved)"
read.save(update_fields=["subject"], send_meeting_invitations=SEND_TO_NONE)
seen = []
for notification in calendar.get_streaming_events(subscription_id, connection_timeout=1, max_notifications_returned=1):
    seen.extend(type(e).__name__ for e in notification.events)
    if any(n == "ModifiedEvent" for n in seen):
        break
check("a streaming subscription receives the change", "ModifiedEvent" in seen, repr(seen))
calendar.unsubscribe(subscription_id)

changes = list(calendar.sync_items(sync_state=state))
state = calendar.item_sync_state
check("sync_items reports the update", [c[0] for c in changes] == ["update"], repr(changes))

# delete
read.delete(send_meeting_cancellations=SEND_TO_NONE)
changes = list(calendar.sync_items(sync_state=state))
check("sync_items reports the delete", [c[0] for c in changes] == ["delete"], repr(changes))
gone = list(account.fetch(ids=[(item.id, None)]))
check("the deleted item is gone", len(gone) == 1 and isinstance(gone[0], Exception), repr(gone))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
