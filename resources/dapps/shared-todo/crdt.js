// Shared To-Do's replicated list, a plain script: it defines globalThis.TodoCrdt (the page
// loads it before app.js; the tests run it in a vm context). No DOM, no network.
//
// A state-based CRDT (Shapiro et al., "Conflict-free Replicated Data Types", 2011): a map of
// items, each field (text, done, deleted) a last-writer-wins register stamped with a Lamport
// clock (Lamport, "Time, Clocks, and the Ordering of Events", 1978) and the writer's replica
// id as tie-break. `merge` takes, per item and field, the higher stamp — commutative,
// associative and idempotent — so friends who exchange their items in any order, any number
// of times, end with the same list. Deletion is a tombstone (`deleted` set); a deleted item
// never comes back.
(function (root) {
  'use strict';

  var FIELDS = ['text', 'done', 'deleted'];
  var MAX_TEXT = 500;
  var MAX_ITEMS = 2000;
  var ID_RE = /^[0-9a-z]{1,16}:[0-9]{1,15}$/;

  /** a > b: compares [lamport, replica]. */
  function newer(a, b) {
    if (!b) return true;
    if (a[0] !== b[0]) return a[0] > b[0];
    return a[1] > b[1];
  }

  function validStamp(s) {
    return Array.isArray(s) && s.length === 2 && typeof s[0] === 'number' && s[0] >= 0 && s[0] % 1 === 0 && s[0] <= Number.MAX_SAFE_INTEGER && typeof s[1] === 'string' && s[1].length > 0 && s[1].length <= 16;
  }

  function validValue(field, v) {
    if (field === 'text') return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
    return typeof v === 'boolean';
  }

  /** An item as it may arrive from a friend: every field a [value, stamp] pair. */
  function validItem(id, it) {
    if (!ID_RE.test(id) || !it || typeof it !== 'object') return false;
    for (var i = 0; i < FIELDS.length; i++) {
      var f = it[FIELDS[i]];
      if (!Array.isArray(f) || f.length !== 2 || !validValue(FIELDS[i], f[0]) || !validStamp(f[1])) return false;
    }
    return validStamp(it.created);
  }

  /** An empty list for this replica (`replica`: a short random id, 1..16 of [0-9a-z]). */
  function create(replica) {
    if (typeof replica !== 'string' || !/^[0-9a-z]{1,16}$/.test(replica)) throw new Error('replica id: 1 to 16 characters of 0-9 a-z');
    return { replica: replica, clock: 0, counter: 0, items: {} };
  }

  function tick(state) {
    state.clock += 1;
    return [state.clock, state.replica];
  }

  function copyItem(it) {
    return { text: [it.text[0], it.text[1].slice()], done: [it.done[0], it.done[1].slice()], deleted: [it.deleted[0], it.deleted[1].slice()], created: it.created.slice() };
  }

  /** Adds an item; returns its id. */
  function add(state, text) {
    var t = String(text).trim();
    if (!validValue('text', t)) throw new Error('An item needs 1 to ' + MAX_TEXT + ' characters.');
    if (Object.keys(state.items).length >= MAX_ITEMS) throw new Error('The list is full (' + MAX_ITEMS + ' items).');
    state.counter += 1;
    var id = state.replica + ':' + state.counter;
    var s = tick(state);
    state.items[id] = { text: [t, s], done: [false, s], deleted: [false, s], created: s };
    return id;
  }

  function set(state, id, field, value) {
    var it = state.items[id];
    if (!it || it.deleted[0]) return false;
    if (!validValue(field, value)) throw new Error('Bad value for ' + field + '.');
    it[field] = [value, tick(state)];
    return true;
  }

  function check(state, id, done) {
    return set(state, id, 'done', !!done);
  }

  function rename(state, id, text) {
    return set(state, id, 'text', String(text).trim());
  }

  function remove(state, id) {
    return set(state, id, 'deleted', true);
  }

  /**
   * Merges a friend's items (an object id → item, e.g. from `delta` or `snapshot`) into
   * `state`; returns the ids that changed here. Invalid items are skipped; the Lamport clock
   * moves past every stamp seen.
   */
  function merge(state, items) {
    var changed = [];
    if (!items || typeof items !== 'object') return changed;
    Object.keys(items).forEach(function (id) {
      var theirs = items[id];
      if (!validItem(id, theirs)) return;
      var mine = state.items[id];
      var before = mine ? JSON.stringify(mine) : null;
      if (!mine) {
        if (Object.keys(state.items).length >= MAX_ITEMS) return;
        mine = copyItem(theirs);
        state.items[id] = mine;
      } else {
        FIELDS.forEach(function (f) {
          if (newer(theirs[f][1], mine[f][1])) mine[f] = [theirs[f][0], theirs[f][1].slice()];
        });
      }
      FIELDS.concat(['created']).forEach(function (f) {
        var s = f === 'created' ? mine.created : mine[f][1];
        if (s[0] > state.clock) state.clock = s[0];
      });
      if (JSON.stringify(mine) !== before) changed.push(id);
    });
    return changed;
  }

  /** The items with these ids, as sent to friends. */
  function delta(state, ids) {
    var out = {};
    ids.forEach(function (id) {
      if (state.items[id]) out[id] = copyItem(state.items[id]);
    });
    return out;
  }

  /** All items, cut into parts of at most `maxBytes` of JSON each (a channel message holds 16 KiB). */
  function snapshot(state, maxBytes) {
    var limit = maxBytes || 12000;
    var parts = [];
    var part = {};
    var size = 2;
    Object.keys(state.items).sort().forEach(function (id) {
      var bytes = JSON.stringify(id).length + JSON.stringify(state.items[id]).length + 2;
      if (size + bytes > limit && size > 2) {
        parts.push(part);
        part = {};
        size = 2;
      }
      part[id] = copyItem(state.items[id]);
      size += bytes;
    });
    if (size > 2 || parts.length === 0) parts.push(part);
    return parts;
  }

  /** The visible list: not deleted, in creation order. */
  function view(state) {
    return Object.keys(state.items)
      .filter(function (id) {
        return !state.items[id].deleted[0];
      })
      .sort(function (a, b) {
        var x = state.items[a].created;
        var y = state.items[b].created;
        return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || (a < b ? -1 : 1);
      })
      .map(function (id) {
        var it = state.items[id];
        return { id: id, text: it.text[0], done: it.done[0] };
      });
  }

  /** A state read back from storage (null if it is not one). */
  function restore(value) {
    if (!value || typeof value !== 'object' || typeof value.replica !== 'string') return null;
    var s;
    try {
      s = create(value.replica);
    } catch {
      return null;
    }
    s.counter = typeof value.counter === 'number' && value.counter >= 0 ? Math.floor(value.counter) : 0;
    merge(s, value.items);
    // never reuse one of our own ids, even if the saved counter is behind
    Object.keys(s.items).forEach(function (id) {
      var parts = id.split(':');
      if (parts[0] === s.replica && Number(parts[1]) > s.counter) s.counter = Number(parts[1]);
    });
    return s;
  }

  root.TodoCrdt = Object.freeze({
    MAX_TEXT: MAX_TEXT,
    MAX_ITEMS: MAX_ITEMS,
    create: create,
    add: add,
    check: check,
    rename: rename,
    remove: remove,
    merge: merge,
    delta: delta,
    snapshot: snapshot,
    view: view,
    restore: restore,
  });
})(globalThis);
