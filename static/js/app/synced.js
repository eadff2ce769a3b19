// A set of ids the phone keeps in storage ``name`` (so it works offline and before signing in) and,
// for a signed-in attendee, also on the server at ``path``, whose answers list the ids under
// ``field``: each add and remove waits in an outbox until the server has it, and the server's list,
// which other devices change too, is fetched on every sync. Ids added before signing in are
// merged into the account the first time a page shows the attendee; signing out leaves the
// account's ids on the server and none on the phone. The stars (stars.js) and the saved stands
// (stands.js) are two such sets.

import { config } from "./config.js";
import { load, save } from "./storage.js";

export function syncedSet(name, path, field) {
  const api = `${config.base}${path}`;
  const listeners = new Set();
  let state = adopt(load(name, { owner: "", ids: [], outbox: [], merge: false }));
  let syncing = null;
  let again = false;

  function adopt(stored) {
    if (stored.owner === config.attendee) return stored;
    if (!config.attendee) return { owner: "", ids: [], outbox: [], merge: false };
    if (!stored.owner) return { owner: config.attendee, ids: stored.ids, outbox: [], merge: stored.ids.length > 0 };
    return { owner: config.attendee, ids: [], outbox: [], merge: false };
  }

  const has = (id) => state.ids.includes(Number(id));
  const ids = () => [...state.ids];
  const onChange = (listener) => listeners.add(listener);

  function changed() {
    save(name, state);
    listeners.forEach((listener) => listener());
  }

  /** Add (``on``) or remove an id. */
  function set(id, on) {
    const value = Number(id);
    state.ids = on ? [...new Set([...state.ids, value])] : state.ids.filter((known) => known !== value);
    if (state.owner) state.outbox = [...state.outbox.filter((op) => op.id !== value), { id: value, on }];
    changed();
    sync();
  }

  async function call(method, url, body) {
    const headers = { Accept: "application/json", "X-CSRF-Token": config.csrf };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, { method, headers, credentials: "same-origin", body: body && JSON.stringify(body) });
  }

  async function exchange() {
    if (state.merge) {
      if (!(await call("POST", api, { [field]: state.ids })).ok) return;
      state.merge = false;
      save(name, state);
    }
    while (state.outbox.length) {
      const op = state.outbox[0];
      const response = await call(op.on ? "PUT" : "DELETE", `${api}/${op.id}`);
      if (response.status >= 500) return;  // tried again at the next sync; other refusals will not change
      state.outbox = state.outbox.filter((queued) => queued !== op);
      save(name, state);
    }
    const response = await call("GET", api);
    if (!response.ok) return;
    const server = new Set((await response.json())[field]);
    for (const op of state.outbox) {
      if (op.on) server.add(op.id);
      else server.delete(op.id);
    }
    state.ids = [...server];
    changed();
  }

  /** Bring the phone and the server into agreement (signed in only); safe to call at any time. */
  function sync() {
    if (!state.owner) return Promise.resolve();
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = exchange().catch(() => { /* offline: the outbox waits for the next sync */ }).finally(() => {
      syncing = null;
      if (again) {
        again = false;
        sync();
      }
    });
    return syncing;
  }

  return { has, ids, onChange, set, sync };
}
