#!/usr/bin/env bash
# Plays a person on either side of the demo that `scripts/run.sh` starts when nothing is configured:
#   scripts/demo.sh crm-event "Lunch with Carla"       # save an event in vtenext (as the demo user) + the bridge's notice
#   scripts/demo.sh exchange-event "Dentist"           # create an event in the demo user's Exchange calendar (Graph)
#   scripts/demo.sh show                                # both calendars side by side
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.data/demo"
[ -f "$state/demo.env" ] || { echo "No demo running: start it with scripts/run.sh (with nothing configured)." >&2; exit 1; }
set -a; . "$state/demo.env"; set +a
ca=(--cacert "$state/sim-ca.pem")

crm_session() {
  local token key
  token=$(curl -sf "$CRM_URL/webservice.php?operation=getchallenge&username=$CRM_DEMO_USER" | jq -r .result.token)
  key=$(printf '%s%s' "$token" "$CRM_DEMO_KEY" | md5sum | cut -d' ' -f1)
  curl -sf -X POST "$CRM_URL/webservice.php" -d operation=login -d "username=$CRM_DEMO_USER" -d "accessKey=$key" | jq -r .result.sessionName
}

graph_token() {
  curl -sf "${ca[@]}" -X POST "$SIM_HTTPS/$TENANT_ID/oauth2/v2.0/token" -d grant_type=client_credentials -d "client_id=$CLIENT_ID" \
    -d "client_secret=$CLIENT_SECRET" -d scope=https://graph.microsoft.com/.default | jq -r .access_token
}

case "${1:-}" in
  crm-event)
    subject="${2:?subject}"
    session=$(crm_session)
    start=$(date -d "tomorrow 10:00" +%Y-%m-%d)
    element=$(jq -nc --arg s "$subject" --arg d "$start" --arg o "$CRM_DEMO_WSID" \
      '{subject:$s, activitytype:"Meeting", eventstatus:"Planned", date_start:$d, time_start:"10:00", due_date:$d, time_end:"11:00", assigned_user_id:$o}')
    id=$(curl -sf -X POST "$CRM_URL/webservice.php" -d operation=create -d "sessionName=$session" -d elementType=Events \
      --data-urlencode "element=$element" | jq -r .result.id)
    # What the php-bridge's save hook sends.
    curl -sf -X POST "$CONNECTOR_URL/api/v1/crm/changes" -H "X-Connector-Key: $CONNECTOR_KEY" -H "X-Crm-User: $CRM_DEMO_ID" -H "X-Crm-Admin: false" \
      -H 'Content-Type: application/json' \
      -d "$(jq -nc --argjson id "${id#*x}" --arg t "$(date +%Y-%m-%dT%H:%M:%S%:z)" --argjson u "$CRM_DEMO_ID" \
        '{module:"Events", crmid:$id, operation:"save", modifiedtime:$t, actingUser:$u}')" > /dev/null
    echo "vtenext event $id saved; it appears in $MAILBOX within a second or two (scripts/demo.sh show)." ;;
  exchange-event)
    subject="${2:?subject}"
    start=$(date -u -d "tomorrow 15:00" +%Y-%m-%dT%H:%M:%S)
    end=$(date -u -d "tomorrow 15:30" +%Y-%m-%dT%H:%M:%S)
    curl -sf "${ca[@]}" -X POST "$SIM_HTTPS/v1.0/users/$MAILBOX/events" -H "Authorization: Bearer $(graph_token)" -H 'Content-Type: application/json' \
      -d "$(jq -nc --arg s "$subject" --arg a "$start" --arg b "$end" '{subject:$s, start:{dateTime:$a, timeZone:"UTC"}, end:{dateTime:$b, timeZone:"UTC"}}')" \
      | jq -r '"Exchange event created: \(.subject); it appears in vtenext within a second or two (scripts/demo.sh show)."' ;;
  show)
    echo "== Exchange ($MAILBOX)"
    curl -sf "${ca[@]}" "$SIM_HTTPS/_sim/mailboxes/$MAILBOX" | jq -r '.. | objects | select(has("subject") and has("start")) | "  \(.start)  \(.subject)"' | sort -u
    echo "== vtenext (events of $CRM_DEMO_USER)"
    session=$(crm_session)
    curl -sf -G "$CRM_URL/webservice.php" --data-urlencode operation=query --data-urlencode "sessionName=$session" \
      --data-urlencode "query=SELECT subject, date_start, time_start FROM Events WHERE assigned_user_id = '$CRM_DEMO_WSID';" \
      | jq -r '.result[] | "  \(.date_start) \(.time_start)  \(.subject)"' | sort ;;
  *) sed -n 2,6p "$0"; exit 2 ;;
esac
