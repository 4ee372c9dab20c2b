// A minimal JavaScript client of `eventmirror serve`, as a web app would be: it logs in,
// long-polls GET /api/event (next = its last id + 1) until it has applied COUNT events (default
// 1), keeps the tags it was told about, and posts that state to the control API's client-state
// call. Prints one JSON line a step.
// It copes with faults: a 5xx or a body that is not JSON is retried; an id at or below its
// last one is a duplicate and skipped, except 0 after a higher id: the server restarted, the
// ids start over (a real client would fetch its state again); a higher id is a gap, noted.
// Usage: node longpoll_client.mjs BASE_URL USER [COUNT]
const [base, user, count] = process.argv.slice(2);
const wanted = Number(count ?? 1);

async function call(method, path, body, sid) {
  const headers = { "Content-Type": "application/json" };
  if (sid) headers.Authorization = `Bearer ${sid}`;
  const response = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return [response.status, JSON.parse(text)];
  } catch {
    return [-1, text]; // truncated or malformed: retry
  }
}

const retries = [];
const ids = [];
let folded = 0;
let last = null;

const [status, login] = await call("POST", "/api/session", { username: user, password: "x" });
if (status !== 200) throw new Error(`login: ${status} ${JSON.stringify(login)}`);
console.log(JSON.stringify({ ready: login.sid }));

const tags = {};
let next = 0;
while (folded < wanted) {
  const [polled, events] = await call("GET", `/api/event?next=${next}&timeout=5`, undefined, login.sid);
  if (polled === -1 || polled >= 500) {
    retries.push(polled);
    await new Promise((resolve) => setTimeout(resolve, 20));
    continue;
  }
  if (polled !== 200) throw new Error(`poll: ${polled} ${JSON.stringify(events)}`);
  for (const event of events) {
    const restart = event.id === 0 && last !== null && last > 0;
    if (last !== null && event.id <= last && !restart) continue; // a duplicate
    last = event.id;
    next = event.id + 1;
    folded += 1;
    ids.push(event.id);
    if (event.event === "tag_new" || event.event === "tag_modify") {
      tags[event.tag] = { label: event.label, owner: event.owner };
    }
    if (event.event === "tag_delete") delete tags[event.tag];
  }
}
const [checked, verdict] = await call(
  "POST", `/_eventmirror/sessions/${login.sid}/client-state`, { tags },
);
console.log(JSON.stringify({ status: checked, next, folded, ids, retries, verdict }));
