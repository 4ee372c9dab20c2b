#!/usr/bin/env node
// The simple client of examples/clients/simple_client.py, in JavaScript, for `node` alone
// (no npm packages): tags, objects (with comments and metadata) and chats.
//
// It speaks eventmirror's process protocol (examples/clients/README.md): one JSON request a
// line on stdin, one JSON reply a line on stdout.
//
//   {"op": "receive", "events": [...]}   -> {"ok": true}
//   {"op": "advance", "now": 1773130000} -> {"ok": true}
//   {"op": "state"}                      -> {"state": {...}}
//   anything else                        -> {"error": "what was wrong"}
//
// The session comes in the environment: EVENTMIRROR_USER (the user's UUID, which the client
// needs), EVENTMIRROR_SESSION and EVENTMIRROR_NAME.
//
//   eventmirror run --client-cmd "node examples/clients/js/client.mjs"

import { realpathSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

// The fields of a chat message this client keeps (a newer server may send more).
const MESSAGE_FIELDS = ["user", "time", "type", "text", "member"];

// Keyed collections are Maps: a key from the wire ("__proto__") is only ever a key.
const toObject = (map, convert = (v) => v) =>
  Object.fromEntries([...map].map(([key, value]) => [key, convert(value)]));
// Sets are reported sorted (UTF-16 order: the mirror's code point order for the ASCII UUIDs).
const sorted = (values) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const present = (value) => value !== undefined && value !== null;
const entries = (object) => (object && typeof object === "object" ? Object.entries(object) : []);

// -- what a well-formed event looks like: a malformed one is skipped, never half applied --

const text = (v) => typeof v === "string";
const flag = (v) => typeof v === "boolean";
const count = (v) => Number.isInteger(v) && v >= 0;
const texts = (v) => Array.isArray(v) && v.every(text);
const record = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const level = (v) => count(v) && v <= 4;
// A JSON object with these fields (optional ones may be absent or null).
const fields =
  (required, optional = {}) =>
  (v) =>
    record(v) &&
    Object.entries(required).every(([field, ok]) => Object.hasOwn(v, field) && ok(v[field])) &&
    Object.entries(optional).every(([field, ok]) => !present(v[field]) || ok(v[field]));
// A JSON object whose every value passes `check`.
const each = (check) => (v) => record(v) && Object.values(v).every(check);

const HEADER = { object: text, type: text, owner: text };
// The optional fields of an object event: a description, and who did it.
const DESCRIBED = { description: text, user: text };
const TAG = fields({ tag: text, owner: text, label: text, foreign_use: flag, policy: each(level) });
const OBJECT_REF = fields(HEADER, { description: text });
const COMMENT = fields({ comment: text, owner: text, text: text, object: OBJECT_REF });
const PARTICIPANT = fields({}, { typing: count, message_read: text });
const MESSAGE = fields({ user: text, time: count, type: text }, { text: text, member: text });
// Each event type this client models, and what it must carry.
const WELL_FORMED = new Map([
  ["tag_new", TAG],
  ["tag_modify", TAG],
  ["tag_delete", fields({ tag: text })],
  ["object_new", fields({ ...HEADER, tag: texts }, DESCRIBED)],
  ["object_modify", fields(HEADER, DESCRIBED)],
  ["object_delete", fields(HEADER, { ...DESCRIBED, purge: flag })],
  ["object_share", fields({ ...HEADER, tag: texts }, DESCRIBED)],
  [
    "object_tag",
    fields({ ...HEADER, tag: texts }, { ...DESCRIBED, tag_add: texts, tag_delete: texts }),
  ],
  ["object_unshare", fields(HEADER, DESCRIBED)],
  ["trash_purge", fields({})],
  ["object_metadata", fields({ object: text }, { user: text, update: record, delete: texts })],
  ["comment_new", COMMENT],
  ["comment_modify", COMMENT],
  ["comment_delete", fields({ comment: text, owner: text, object: OBJECT_REF })],
  ["chat_new", fields({ chat: text, create_time: count })],
  [
    "chat_message",
    fields({ chat: text, message: each(MESSAGE) }, { create_time: count, description: text }),
  ],
  ["chat_user", fields({ chat: text, user: each(PARTICIPANT) })],
]);

export class SimpleClient {
  constructor(me) {
    this.me = me;
    this.lastId = null;
    this.now = null;
    this.duplicates = 0;
    this.gaps = [];
    this.missing = 0;
    this.resetCount = 0;
    this.resync = false;
    this.tags = new Map();
    // {type?, owner?, description?, tag?, trashed, comments: Map, metadata: Map} by UUID
    this.objects = new Map();
    // {create_time?, description?, member: Set, message: Map, user: Map} by UUID
    this.chats = new Map();
  }

  // -- the client protocol ----------------------------------------------------------------

  receive(events) {
    for (const event of events) this.handle(event);
  }

  advance(now) {
    this.tick(now);
  }

  state() {
    const stream = {
      duplicates: this.duplicates,
      gaps: this.gaps.map((gap) => [...gap]),
      missing: this.missing,
      reset_count: this.resetCount,
      resync: this.resync,
    };
    if (this.lastId !== null) stream.last_id = this.lastId;
    return {
      stream,
      tags: toObject(this.tags, (tag) => ({ ...tag, policy: toObject(tag.policy) })),
      objects: toObject(this.objects, (obj) => ({
        ...obj,
        ...(obj.tag ? { tag: [...obj.tag] } : {}),
        comments: toObject(obj.comments, (comment) => ({ ...comment })),
        metadata: toObject(obj.metadata),
      })),
      chats: toObject(this.chats, (chat) => this.chatState(chat)),
    };
  }

  // -- the stream -------------------------------------------------------------------------

  handle(event) {
    if (!record(event) || !this.accept(event.id)) return;
    const wellFormed = WELL_FORMED.get(event.event);
    // Malformed: its id counts (no gap), nothing else (a real client logs it).
    if (wellFormed && !(count(event.time) && wellFormed(event))) return;
    if (count(event.time)) this.tick(event.time);
    if (wellFormed) HANDLERS.get(event.event).call(this, event); // other types are ignored
  }

  accept(id) {
    if (!count(id)) return false; // no readable id: nothing to place it by
    const last = this.lastId;
    if (last !== null && id !== last + 1) {
      if (id === 0 && last > 0) {
        // a new server session: ids start over
        this.resetCount += 1;
        this.resync = true;
      } else if (id <= last) {
        this.duplicates += 1;
        return false;
      } else {
        this.gaps.push([last + 1, id - 1]);
        this.missing += id - 1 - last;
        this.resync = true;
      }
    }
    this.lastId = id;
    return true;
  }

  tick(now) {
    if (this.now === null || now > this.now) this.now = now; // the clock never goes back
  }

  // -- tags -------------------------------------------------------------------------------

  tagNew(event) {
    // Level 0 means "no access": such users are not in the policy.
    const policy = new Map(entries(event.policy).filter(([, level]) => level));
    this.tags.set(event.tag, {
      owner: event.owner,
      label: event.label,
      foreign_use: event.foreign_use,
      policy,
    });
  }

  tagModify(event) {
    if (event.policy?.[this.me] === 0) this.tags.delete(event.tag); // I lost access
    else this.tagNew(event);
  }

  tagDelete(event) {
    this.tags.delete(event.tag);
    for (const obj of this.objects.values()) {
      if (obj.tag?.includes(event.tag)) obj.tag = obj.tag.filter((tag) => tag !== event.tag);
    }
  }

  // -- objects ----------------------------------------------------------------------------

  object(uuid) {
    if (!this.objects.has(uuid)) {
      this.objects.set(uuid, { trashed: false, comments: new Map(), metadata: new Map() });
    }
    return this.objects.get(uuid);
  }

  objectWithHeader(header) {
    const obj = this.object(header.object);
    for (const field of ["type", "owner", "description"]) {
      if (present(header[field])) obj[field] = header[field];
      else delete obj[field];
    }
    return obj;
  }

  objectNew(event) {
    const obj = this.objectWithHeader(event);
    obj.tag = [...event.tag];
    obj.trashed = false;
  }

  objectModify(event) {
    this.objectWithHeader(event);
  }

  objectDelete(event) {
    if (event.purge) this.objects.delete(event.object);
    else this.objectWithHeader(event).trashed = true;
  }

  objectTag(event) {
    // `tag` is the full list and wins; `tag_add`/`tag_delete` only say what changed.
    this.objectWithHeader(event).tag = [...event.tag];
  }

  objectUnshare(event) {
    this.objects.delete(event.object);
  }

  trashPurge() {
    for (const [uuid, obj] of this.objects) {
      // My trash only: another owner's trashed object I can read is in her trash.
      if (obj.trashed && (obj.owner === this.me || !present(obj.owner))) this.objects.delete(uuid);
    }
  }

  objectMetadata(event) {
    const { metadata } = this.object(event.object);
    for (const [key, value] of entries(event.update)) metadata.set(key, value);
    for (const key of event.delete ?? []) metadata.delete(key);
  }

  // -- comments ---------------------------------------------------------------------------

  commentNew(event) {
    const comment = { owner: event.owner, text: event.text };
    this.objectWithHeader(event.object).comments.set(event.comment, comment);
  }

  commentDelete(event) {
    this.objectWithHeader(event.object).comments.delete(event.comment);
  }

  // -- chats ------------------------------------------------------------------------------

  chat(uuid) {
    if (!this.chats.has(uuid)) {
      this.chats.set(uuid, { member: new Set(), message: new Map(), user: new Map() });
    }
    return this.chats.get(uuid);
  }

  chatNew(event) {
    const chat = this.chat(event.chat);
    chat.create_time = event.create_time;
    chat.member.add(this.me); // the creator is the only member
  }

  chatMessage(event) {
    const chat = this.chat(event.chat);
    for (const field of ["create_time", "description"]) {
      if (present(event[field])) chat[field] = event[field];
    }
    let iLeft = false;
    const messages = entries(event.message).sort(([a, x], [b, y]) =>
      x.time !== y.time ? x.time - y.time : a < b ? -1 : a > b ? 1 : 0,
    );
    for (const [uuid, message] of messages) {
      const kept = {};
      for (const field of MESSAGE_FIELDS) if (field in message) kept[field] = message[field];
      chat.message.set(uuid, kept);
      if (message.type === "add" && present(message.member)) {
        chat.member.add(message.member);
        iLeft = iLeft && message.member !== this.me;
      } else if (message.type === "leave") {
        chat.member.delete(message.user);
        iLeft = iLeft || message.user === this.me;
      }
    }
    if (iLeft) this.chats.delete(event.chat); // my last event for this chat: it is gone for me
  }

  chatUser(event) {
    const participants = this.chat(event.chat).user;
    for (const [user, change] of entries(event.user)) {
      const participant = participants.get(user) ?? {};
      if (present(change.message_read)) participant.message_read = change.message_read;
      // Seconds from the event's time, kept as the expiry (one already past is never shown:
      // see chatState); 0 means not typing any more.
      if (change.typing > 0) participant.typing = event.time + change.typing;
      else if (change.typing === 0) delete participant.typing;
      if (Object.keys(participant).length) participants.set(user, participant);
      else participants.delete(user);
    }
  }

  chatState(chat) {
    // Members sorted; typing only while active (the clock is before its expiry).
    const users = new Map();
    for (const [user, participant] of chat.user) {
      const shown = { ...participant };
      if (present(shown.typing) && this.now !== null && this.now >= shown.typing) {
        delete shown.typing;
      }
      if (Object.keys(shown).length) users.set(user, shown);
    }
    return {
      ...chat,
      member: sorted(chat.member),
      message: toObject(chat.message, (message) => ({ ...message })),
      user: toObject(users),
    };
  }
}

const P = SimpleClient.prototype;
const HANDLERS = new Map([
  ["tag_new", P.tagNew],
  ["tag_modify", P.tagModify],
  ["tag_delete", P.tagDelete],
  ["object_new", P.objectNew],
  ["object_modify", P.objectModify],
  ["object_delete", P.objectDelete],
  ["object_share", P.objectTag], // the full tag list, as object_tag
  ["object_tag", P.objectTag],
  ["object_unshare", P.objectUnshare],
  ["trash_purge", P.trashPurge],
  ["object_metadata", P.objectMetadata],
  ["comment_new", P.commentNew],
  ["comment_modify", P.commentNew],
  ["comment_delete", P.commentDelete],
  ["chat_new", P.chatNew],
  ["chat_message", P.chatMessage],
  ["chat_user", P.chatUser],
]);

// -- the process protocol -----------------------------------------------------------------

function answer(client, line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { error: `not JSON: ${error.message}` };
  }
  switch (request?.op) {
    case "receive":
      if (!Array.isArray(request.events)) return { error: "receive: events must be a list" };
      client.receive(request.events);
      return { ok: true };
    case "advance":
      if (!Number.isInteger(request.now)) return { error: "advance: now must be an integer" };
      client.advance(request.now);
      return { ok: true };
    case "state":
      return { state: client.state() };
    default:
      return { error: `unknown op ${JSON.stringify(request?.op)}: receive, advance or state` };
  }
}

function main() {
  const me = process.env.EVENTMIRROR_USER;
  if (!me) {
    process.stderr.write("client.mjs: EVENTMIRROR_USER (the session user's UUID) is not set\n");
    process.exit(2);
  }
  const client = new SimpleClient(me);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let reply;
    try {
      reply = answer(client, line);
    } catch (error) {
      reply = { error: `${error.name}: ${error.message}` };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
}

// Run as a program (not imported, e.g. by a test of the class): serve the protocol.
const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(realpathSync(script)).href) main();
