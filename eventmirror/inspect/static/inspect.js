// eventmirror inspect: the page. Plain JavaScript, no build step, nothing fetched from
// elsewhere. Everything from the recording is put into the page as text (textContent),
// never as HTML. The endpoints are described in docs/inspect.md.
"use strict";

// What each mark means, for the legend; the marks themselves (and their order) come from
// the server's summary.
const MEANING = {
  gap: "ids missing before this event",
  reset: "a new server session (id 0 again)",
  duplicate: "an id seen before, skipped",
  rejected: "a line that is not a usable event",
  "unknown type": "an event type the reference does not define",
  "unknown field": "applied without fields the reference does not define",
  anomaly: "applied, but inconsistent with the mirror",
  "time backwards": "stamped earlier than the event before",
};
const PAGE = 200;
// A scan with a path filter looks at a bounded number of events per request; the page keeps
// asking, up to this many times, before it waits for "more events".
const SCANS_PER_LOAD = 25;

const state = {
  total: 0,
  filters: {},
  entries: [], // loaded entries, in timeline order
  next: null, // where scanning forward continues (null: at the end)
  previous: null, // where scanning backward continues (null: at the start)
  reading: null, // how far the server has read the recording (the summary's "reading")
  selected: null, // the selected entry's index
  step: null, // the selected step's answer
  loading: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  const response = await fetch(text ? `${path}?${text}` : path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

function showError(error) {
  const box = $("error");
  if (error) {
    box.textContent = String(error.message || error);
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

function formatTime(seconds) {
  if (seconds === null || seconds === undefined) return "";
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC");
}

function markClass(mark) {
  return `mark-${mark.replace(/ /g, "-")}`;
}

// The server leaves out what a record does not say; the page reads it as null.
function normalized(entry) {
  return { id: null, type: null, time: null, ...entry };
}

function compact(value) {
  const text = JSON.stringify(value);
  return text.length > 160 ? text.slice(0, 157) + "…" : text;
}

// -- the header ---------------------------------------------------------------------------

// While the server is still reading the recording, the header is asked again this often.
const READING_POLL_MS = 1000;

async function loadSummary() {
  const summary = await api("/api/summary");
  state.total = summary.total;
  state.reading = summary.reading;
  document.title = `${summary.name} - eventmirror inspect`;
  $("name").textContent = summary.name;
  const parts = [`${summary.total.toLocaleString("en")} entries`];
  const legend = $("legend");
  legend.replaceChildren();
  for (const [mark, count] of Object.entries(summary.marks)) {
    if (count) parts.push(`${count.toLocaleString("en")} ${mark}`);
    legend.append(
      el(
        "li",
        { "data-mark": mark, "data-count": count },
        el("span", { class: `badge ${markClass(mark)}`, text: mark }),
        ` ${MEANING[mark] || ""} (${count.toLocaleString("en")})`,
      ),
    );
  }
  $("counts").textContent = parts.join(" · ");
  $("reading").textContent = readingLine(summary.reading);
  $("reading").hidden = summary.reading.done && !summary.reading.error;
  const types = $("types");
  types.replaceChildren(...summary.types.map((type) => el("option", { value: type })));
}

function readingLine(reading) {
  if (reading.error) return reading.error;
  if (reading.done) return "";
  const records = `${reading.records.toLocaleString("en")} records`;
  if (reading.bytes_total === null) return `reading the recording… ${records} so far`;
  const percent = reading.bytes_total ? Math.floor((100 * reading.bytes_read) / reading.bytes_total) : 100;
  return `reading the recording… ${percent}% (${records}); the timeline fills in as it is read`;
}

// Until the recording is read: the header again, and the timeline's next page once there is
// one (the first page only fills in as the server reads).
async function followReading() {
  if (!state.reading || state.reading.done) return;
  await new Promise((resolve) => setTimeout(resolve, READING_POLL_MS));
  try {
    await loadSummary();
  } catch (error) {
    showError(error);
  }
  if (state.entries.length < PAGE && state.next !== null) await loadMore();
  else renderTimeline();
  await followReading();
}

// -- the timeline -------------------------------------------------------------------------

function entryItem(entry) {
  const marks = el("span", { class: "marks" });
  for (const mark of entry.marks) marks.append(el("span", { class: `badge ${markClass(mark)}`, text: mark }));
  const item = el(
    "li",
    {
      "data-testid": "timeline-entry",
      "data-index": entry.index,
      "data-marks": entry.marks.join(" "),
      class: entry.marks.map(markClass).join(" "),
      title: [`line ${entry.line}`, formatTime(entry.time), entry.reason || ""].filter(Boolean).join(", "),
      onclick: () => select(entry.index),
    },
    el("span", { class: "index", text: `#${entry.index}` }),
    el("span", { class: "id", text: entry.id === null ? "" : `id ${entry.id}` }),
    el("span", { class: "type", text: entry.type || `line ${entry.line}` }),
    marks,
  );
  if (entry.index === state.selected) item.classList.add("selected");
  return item;
}

function renderTimeline() {
  const list = $("timeline");
  list.replaceChildren(...state.entries.map(entryItem));
  $("load-more").hidden = state.next === null;
  $("load-earlier").hidden = state.previous === null;
  const shown = state.entries.length.toLocaleString("en");
  const filtered = Object.values(state.filters).some(Boolean);
  let status = filtered ? `${shown} matching events loaded` : `${shown} of ${state.total.toLocaleString("en")} entries loaded`;
  if (filtered && state.next !== null) status += `, searched up to #${state.next}`;
  $("status").textContent = status;
}

async function scan(params) {
  // Keeps asking while a bounded scan finds nothing and there is more to search.
  let answer = null;
  for (let round = 0; round < SCANS_PER_LOAD; round++) {
    answer = await api("/api/timeline", { ...state.filters, limit: PAGE, ...params });
    answer.entries = answer.entries.map(normalized);
    if (answer.entries.length) return answer;
    if ("before" in params ? answer.previous === null : answer.next === null) return answer;
    if (!("before" in params) && answer.next === params.offset) return answer; // not read yet
    params = "before" in params ? { before: answer.previous } : { offset: answer.next };
    $("status").textContent = `searching… #${answer.next ?? answer.previous}`;
  }
  return answer;
}

async function reloadTimeline(offset) {
  state.loading = true;
  $("status").textContent = "searching…";
  try {
    const answer = await scan({ offset });
    state.entries = answer.entries;
    state.next = answer.next;
    state.previous = offset > 0 ? offset : null;
    showError(null);
  } catch (error) {
    state.entries = [];
    state.next = state.previous = null;
    showError(error);
  } finally {
    state.loading = false;
  }
  renderTimeline();
}

// One page more at the end (forward) or at the start (backward) of the timeline shown;
// true when it brought entries.
async function loadPage(forward) {
  const from = forward ? state.next : state.previous;
  if (from === null || state.loading) return false;
  state.loading = true;
  try {
    const answer = await scan(forward ? { offset: from } : { before: from });
    if (forward) {
      state.entries.push(...answer.entries);
      state.next = answer.next;
    } else {
      state.entries.unshift(...answer.entries);
      state.previous = answer.previous;
    }
    return answer.entries.length > 0;
  } catch (error) {
    showError(error);
    return false;
  } finally {
    state.loading = false;
    renderTimeline();
  }
}

function loadMore() {
  return loadPage(true);
}

function loadEarlier() {
  return loadPage(false);
}

function readFilters() {
  return {
    type: $("filter-type").value.trim(),
    entity: $("filter-entity").value.trim(),
    path: $("filter-path").value.trim(),
  };
}

// -- one step: the mirror after an event --------------------------------------------------

async function select(index) {
  state.selected = index;
  for (const item of $("timeline").querySelectorAll("li.selected")) item.classList.remove("selected");
  const item = $("timeline").querySelector(`li[data-index="${index}"]`);
  if (item) {
    item.classList.add("selected");
    item.scrollIntoView({ block: "nearest" });
  }
  history.replaceState(null, "", `#${index}`);
  $("detail").classList.add("loading");
  let step;
  try {
    step = await api(`/api/step/${index}`);
  } catch (error) {
    showError(error);
    return;
  } finally {
    if (state.selected === index) $("detail").classList.remove("loading");
  }
  if (state.selected !== index) return; // a later selection won
  showError(null);
  step.entry = normalized(step.entry);
  state.step = step;
  renderStep(step);
}

function renderStep(step) {
  const entry = step.entry;
  $("placeholder").hidden = true;
  $("step").hidden = false;
  $("blame").hidden = true;
  $("step-title").textContent = `#${entry.index} ${entry.type || "(not an event)"}${entry.id !== null ? ` · id ${entry.id}` : ""}`;
  const facts = [`line ${entry.line}`];
  if (entry.time !== null) facts.push(formatTime(entry.time));
  if (entry.marks.length) facts.push(entry.marks.join(", "));
  if (entry.gap) facts.push(`ids ${entry.gap[0]}–${entry.gap[1]} missing before it`);
  if (entry.reason) facts.push(entry.reason);
  $("step-facts").textContent = facts.join(" · ");

  const changes = $("changes");
  changes.replaceChildren();
  if (!step.changes.length) {
    changes.append(el("li", { class: "none", text: "nothing in the mirror's slices" }));
  }
  for (const change of step.changes) {
    const line = el(
      "li",
      { "data-testid": "change", "data-pointer": change.path, "data-kind": change.kind },
      el("span", { class: "kind", text: change.kind }),
      el("span", { class: "path", text: change.path, onclick: () => reveal(change.path) }),
    );
    if ("old" in change) line.append(" ", el("span", { class: "old", text: compact(change.old) }));
    if ("old" in change && "new" in change) line.append(" → ");
    if ("new" in change) line.append(" ", el("span", { class: "new", text: compact(change.new) }));
    changes.append(line);
  }
  renderTree(entry.index, step.tree, step.changes.map((change) => change.path));
}

// -- the mirror as a tree -----------------------------------------------------------------
// The tree is loaded a level at a time: a step brings the top level and the way down to each
// changed path ("open"); any other branch asks /api/node for its children when opened.

function pointerOf(parent, key) {
  return `${parent}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function leafClass(value) {
  return typeof value === "string" ? "string" : typeof value === "number" ? "number" : "literal";
}

function treeNode(child, pointer, view) {
  const item = el("li", { "data-testid": "tree-node", "data-pointer": pointer });
  const keyText = el("span", { class: "key", "data-testid": "tree-key", text: child.key, onclick: () => blame(pointer) });
  if (view.changed.exact.has(pointer)) item.classList.add("changed");
  if (view.changed.around.has(pointer)) item.classList.add("contains-change");
  if (child.size === undefined) {
    item.append(
      el("span", { class: "toggle" }),
      keyText,
      ": ",
      el("span", { class: `value ${leafClass(child.value)}`, "data-testid": "tree-value", text: JSON.stringify(child.value), onclick: () => blame(pointer) }),
    );
    return item;
  }
  const toggle = el("span", { class: "toggle", "data-testid": "tree-toggle", text: "▸" });
  item.append(toggle, keyText, el("span", { class: "size", text: `{${child.size.toLocaleString("en")}}` }));
  const list = el("ul");
  list.hidden = true;
  item.append(list);
  let loaded = 0; // children listed from the server, in key order
  let next = 0; // where the next page of children starts (null: all listed)
  const more = el("button", { type: "button", class: "more-keys", "data-testid": "tree-more" });
  const loadPage = async () => {
    const answer = await api("/api/node", { index: view.index, pointer, offset: next });
    if (state.selected !== view.index) return;
    if (loaded === 0) list.replaceChildren();
    for (const grandchild of answer.children) list.append(treeNode(grandchild, pointerOf(pointer, grandchild.key), view));
    loaded += answer.children.length;
    next = answer.next;
    showMore();
  };
  const showMore = () => {
    more.remove();
    if (next === null) return;
    const rest = child.size - loaded;
    more.textContent = loaded ? `${rest.toLocaleString("en")} more keys` : `all ${child.size.toLocaleString("en")} keys`;
    more.onclick = async () => {
      if (loaded === 0) next = 0;
      await loadPage();
    };
    list.append(el("li", {}, more));
  };
  const spine = view.open[pointer];
  if (spine) {
    // Only the children on the way to a change; the rest on demand.
    for (const grandchild of spine.children) list.append(treeNode(grandchild, pointerOf(pointer, grandchild.key), view));
    if (spine.children.length < child.size) showMore();
    else next = null;
  }
  item.open = async (shown) => {
    if (shown && !spine && loaded === 0 && next !== null) {
      try {
        await loadPage();
      } catch (error) {
        showError(error);
        return;
      }
    }
    list.hidden = !shown;
    toggle.textContent = shown ? "▾" : "▸";
    item.dataset.open = shown ? "true" : "false";
  };
  item.dataset.open = "false";
  toggle.addEventListener("click", () => item.open(item.dataset.open !== "true"));
  if (spine) item.open(true);
  return item;
}

function renderTree(index, tree, paths) {
  const changed = { exact: new Set(paths), around: new Set() };
  for (const path of paths) {
    const parts = path.split("/");
    for (let end = 2; end < parts.length; end++) changed.around.add(parts.slice(0, end).join("/"));
  }
  const view = { index, open: tree.open, changed };
  const root = $("tree");
  root.replaceChildren();
  for (const child of tree.children) root.append(treeNode(child, pointerOf("", child.key), view));
  const first = root.querySelector("li.changed");
  if (first) first.scrollIntoView({ block: "nearest" });
}

async function reveal(pointer) {
  // Opens the tree down to pointer (as far as it exists) and shows that node.
  const parts = pointer.split("/");
  let node = null;
  for (let end = 2; end <= parts.length; end++) {
    const found = $("tree").querySelector(`li[data-pointer="${CSS.escape(parts.slice(0, end).join("/"))}"]`);
    if (!found) break;
    node = found;
    if (end < parts.length && node.open && node.dataset.open !== "true") await node.open(true);
  }
  if (node) node.scrollIntoView({ block: "center" });
  return node;
}

// -- blame --------------------------------------------------------------------------------

async function blame(pointer) {
  if (state.selected === null) return;
  const index = state.selected;
  for (const node of $("tree").querySelectorAll("li.blamed")) node.classList.remove("blamed");
  const node = await reveal(pointer);
  if (node) node.classList.add("blamed");
  const box = $("blame");
  let answer;
  try {
    answer = await api("/api/blame", { index, pointer });
  } catch (error) {
    box.replaceChildren(el("span", { text: String(error.message || error) }));
    box.hidden = false;
    return;
  }
  box.replaceChildren(el("code", { "data-testid": "blame-pointer", text: answer.pointer }), " ");
  if (answer.entry === null) {
    box.append(el("span", { text: "was not set by any event up to here (the mirror started with it)." }));
  } else {
    const entry = normalized(answer.entry);
    const change = answer.change;
    const how = change.kind === "removed" ? "last removed by" : change.kind === "added" ? "added by" : "last changed by";
    box.append(
      el("span", { text: how }),
      el("button", {
        type: "button",
        "data-testid": "blame-event",
        "data-index": entry.index,
        text: `#${entry.index} ${entry.type}${entry.id !== null ? ` (id ${entry.id})` : ""}`,
        onclick: () => goTo(entry.index),
      }),
      el("span", { class: "facts", text: ` line ${entry.line}, ${formatTime(entry.time)}` }),
    );
    if ("old" in change || "new" in change) {
      const values = el("div", { "data-testid": "blame-change" });
      if ("old" in change) values.append(el("span", { class: "old", text: compact(change.old) }));
      if ("old" in change && "new" in change) values.append(" → ");
      if ("new" in change) values.append(el("span", { class: "new", text: compact(change.new) }));
      box.append(values);
    }
  }
  box.hidden = false;
}

// -- moving around ------------------------------------------------------------------------

async function goTo(index) {
  if (!state.entries.some((entry) => entry.index === index)) {
    await reloadTimeline(Math.max(0, index - 20));
  }
  await select(index);
}

async function move(delta) {
  const position = state.entries.findIndex((entry) => entry.index === state.selected);
  let target = position === -1 ? 0 : position + delta;
  if (target >= state.entries.length && (await loadMore())) target = Math.min(target, state.entries.length - 1);
  if (target < 0) {
    const before = state.entries.length;
    if (await loadEarlier()) target = state.entries.length - before - 1;
  }
  if (target < 0 || target >= state.entries.length) return;
  await select(state.entries[target].index);
}

function onKey(event) {
  if (event.target instanceof HTMLInputElement) return;
  if (event.key === "ArrowDown" || event.key === "j") move(1);
  else if (event.key === "ArrowUp" || event.key === "k") move(-1);
  else return;
  event.preventDefault();
}

async function start() {
  $("filter").addEventListener("submit", async (event) => {
    event.preventDefault();
    state.filters = readFilters();
    await reloadTimeline(0);
  });
  $("filter-clear").addEventListener("click", async () => {
    $("filter").reset();
    state.filters = {};
    await reloadTimeline(0);
  });
  $("goto").addEventListener("keydown", async (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const index = Number.parseInt(event.target.value, 10);
    if (Number.isInteger(index) && index >= 0 && index < state.total) await goTo(index);
    else showError(`go to: expected an entry 0..${state.total - 1}`);
  });
  $("load-more").addEventListener("click", loadMore);
  $("load-earlier").addEventListener("click", loadEarlier);
  $("timeline-box").addEventListener("scroll", (event) => {
    const box = event.target;
    if (box.scrollTop + box.clientHeight > box.scrollHeight - 200) loadMore();
  });
  document.addEventListener("keydown", onKey);
  try {
    await loadSummary();
  } catch (error) {
    showError(error);
    return;
  }
  const wanted = Number.parseInt(location.hash.slice(1), 10);
  if (Number.isInteger(wanted) && wanted >= 0 && wanted < state.total) await goTo(wanted);
  else await reloadTimeline(0);
  document.body.dataset.ready = "true";
  $("timeline").focus();
  followReading();
}

start();
