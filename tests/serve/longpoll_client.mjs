// A minimal JavaScript client of `eventmirror serve`, as a web app would be: it logs in,
// long-polls GET /api/event until it has seen a tag, keeps the tags it was told about, and
// posts that state to the control API's client-state call. Prints one JSON line a step.
// It copes with faults: a 5xx or a body that is not JSON is retried, an id it has is skipped.
// Usage: node longpoll_client.mjs BASE_URL USER
const [base, user] = process.argv.slice(2);

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
let folded = 0;

const [status, login] = await call("POST", "/api/session", { username: user, password: "x" });
if (status !== 200) throw new Error(`login: ${status} ${JSON.stringify(login)}`);
console.log(JSON.stringify({ ready: login.sid }));

const tags = {};
let next = 0;
while (Object.keys(tags).length === 0) {
  const [polled, events] = await call("GET", `/api/event?next=${next}&timeout=5`, undefined, login.sid);
  if (polled === -1 || polled >= 500) {
    retries.push(polled);
    await new Promise((resolve) => setTimeout(resolve, 20));
    continue;
  }
  if (polled !== 200) throw new Error(`poll: ${polled} ${JSON.stringify(events)}`);
  for (const event of events) {
    if (event.id < next) continue; // a duplicate
    next = event.id + 1;
    folded += 1;
    if (event.event === "tag_new") tags[event.tag] = { label: event.label, owner: event.owner };
  }
}
const [checked, verdict] = await call(
  "POST", `/_eventmirror/sessions/${login.sid}/client-state`, { tags },
);
console.log(JSON.stringify({ status: checked, next, folded, retries, verdict }));
