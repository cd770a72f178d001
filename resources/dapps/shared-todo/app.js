// Shared To-Do's page: the list (crdt.js) kept in the dapp's storage (window.bitunicom.storage,
// kept by the node — a framed dapp's localStorage is third-party and often blocked; values are
// at most 64 KiB, so the list is saved in parts; localStorage only outside BitUnicom). Every
// local change is sent to the friends the list is shared with, a friend's changes are merged
// and passed on to the others (merging is idempotent, so nothing loops), and the whole list is
// exchanged each time a channel opens or the page starts (`sync` asks the friend for its list).
(function () {
  'use strict';
  var C = globalThis.TodoCrdt;
  var STORE_KEY = 'shared-todo.v1';
  var MESSAGE_TYPE = 'bitunicom_channel';

  var el = function (id) {
    return document.getElementById(id);
  };
  var channel = window.bitunicom && window.bitunicom.channel;
  var storage = window.bitunicom && window.bitunicom.storage;
  var provider = window.ethereum;
  var PART_CHARS = 60000;
  var state = C.create(randomReplica());
  var friends = [];
  var invitations = [];

  function randomReplica() {
    var a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return (a[0].toString(36) + a[1].toString(36)).slice(0, 12);
  }

  function storeGet(key) {
    if (storage) return storage.get(key);
    return new Promise(function (resolve) {
      resolve(localStorage.getItem(key));
    });
  }

  function storeSet(key, value) {
    return storage ? storage.set(key, value) : Promise.resolve(localStorage.setItem(key, value));
  }

  /** The saved list: `STORE_KEY` holds the number of parts, `STORE_KEY.i` each part of the JSON. */
  function load() {
    return storeGet(STORE_KEY)
      .then(function (count) {
        var n = Number(count) || 0;
        var reads = [];
        for (var i = 0; i < n; i++) reads.push(storeGet(STORE_KEY + '.' + i));
        return Promise.all(reads);
      })
      .then(
        function (parts) {
          var s = parts.length ? C.restore(JSON.parse(parts.join(''))) : null;
          if (s) {
            C.merge(s, state.items); // anything friends sent while we were loading
            state = s;
          }
        },
        function () {
          /* nothing readable: a new list, friends send theirs */
        },
      );
  }

  var saving = Promise.resolve();
  /** Writes in order; the part count goes last, so a torn write leaves the previous count. */
  function save() {
    var text = JSON.stringify(state);
    saving = saving
      .then(function () {
        var writes = [];
        var n = Math.max(1, Math.ceil(text.length / PART_CHARS));
        for (var i = 0; i < n; i++) writes.push(storeSet(STORE_KEY + '.' + i, text.slice(i * PART_CHARS, (i + 1) * PART_CHARS)));
        return Promise.all(writes).then(function () {
          return storeSet(STORE_KEY, String(n));
        });
      })
      .catch(function (e) {
        setStatus('Could not save the list here: ' + errorText(e));
      });
  }

  function setStatus(text) {
    el('status').textContent = text;
  }

  function errorText(err) {
    return err && err.message ? err.message : String(err);
  }

  // One send in flight per friend, in order: the host answers at most 16 requests of a frame
  // at a time and a send waits for the friend's acknowledgement, while a snapshot of a long
  // list is many messages.
  var sending = {};

  /** Sends items to one friend, or to every friend who shares the list but `except`; `sync` asks for theirs. */
  function sendItems(items, to, except, sync) {
    if (!channel) return;
    var targets = to ? [to] : friends.filter((f) => f.grantedByThem && f.online && f.address.toLowerCase() !== except).map((f) => f.address);
    var msg = sync ? { t: 'todo', v: 1, items: items, sync: true } : { t: 'todo', v: 1, items: items };
    targets.forEach(function (address) {
      var key = address.toLowerCase();
      sending[key] = (sending[key] || Promise.resolve()).then(function () {
        return channel.send(address, msg).catch(function (err) {
          setStatus('Could not send to a friend: ' + errorText(err));
        });
      });
    });
  }

  function changed(ids) {
    save();
    render();
    if (ids.length) {
      // deltas stay well below the 16 KiB message limit: at most a few items change at once
      C.snapshot({ items: C.delta(state, ids) }, 12000).forEach(function (part) {
        sendItems(part);
      });
    }
  }

  function render() {
    var list = el('items');
    list.textContent = '';
    var items = C.view(state);
    el('empty').hidden = items.length > 0;
    items.forEach(function (it) {
      var li = document.createElement('li');
      if (it.done) li.className = 'done';
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = it.done;
      box.setAttribute('aria-label', 'done: ' + it.text);
      box.addEventListener('change', function () {
        if (C.check(state, it.id, box.checked)) changed([it.id]);
      });
      var text = document.createElement('span');
      text.className = 'text';
      text.textContent = it.text;
      var del = document.createElement('button');
      del.type = 'button';
      del.textContent = 'Delete';
      del.setAttribute('aria-label', 'delete ' + it.text);
      del.addEventListener('click', function () {
        if (C.remove(state, it.id)) changed([it.id]);
      });
      li.append(box, text, del);
      list.append(li);
    });
    renderFriends();
  }

  function renderFriends() {
    var list = el('friends');
    list.textContent = '';
    var row = function (name, online, note) {
      var li = document.createElement('li');
      var dot = document.createElement('span');
      dot.className = 'dot' + (online ? ' online' : '');
      var n = document.createElement('span');
      n.className = 'name';
      n.textContent = name;
      var s = document.createElement('span');
      s.className = 'note';
      s.textContent = note;
      li.append(dot, n, s);
      return li;
    };
    friends.forEach(function (f) {
      list.append(row(f.name, f.online, f.grantedByThem ? (f.online ? 'in sync' : 'offline') : 'has not accepted yet'));
    });
    invitations.forEach(function (inv) {
      var li = row(inv.name, inv.online, 'shares a list with you');
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'Accept';
      b.addEventListener('click', function () {
        channel.request({ friend: inv.address }).then(refreshFriends, function (err) {
          setStatus('Not accepted: ' + errorText(err));
        });
      });
      li.append(b);
      list.append(li);
    });
    if (!friends.length && !invitations.length) list.append(row('Only you so far.', false, ''));
  }

  /** The whole list to one friend, in parts; `sync`: and ask for theirs (on the first part). */
  function sendSnapshot(to, sync) {
    C.snapshot(state, 12000).forEach(function (part, i) {
      sendItems(part, to, null, sync && i === 0);
    });
  }

  function refreshFriends() {
    return channel.friends().then(
      function (r) {
        friends = r.friends;
        invitations = r.invitations;
        renderFriends();
      },
      function (err) {
        setStatus('Sharing is not available: ' + errorText(err));
      },
    );
  }

  function onMessage(m) {
    if (!m || m.type !== MESSAGE_TYPE || !m.data) return;
    var e = m.data;
    if (e.kind === 'data') {
      var msg = e.data;
      if (!msg || msg.t !== 'todo' || msg.v !== 1) return;
      var ids = C.merge(state, msg.items);
      if (msg.sync === true) sendSnapshot(e.from, false); // the friend asked for our whole list
      if (ids.length) {
        save();
        render();
        setStatus(e.name + ' updated the list.');
        // pass the news on to the other friends sharing the list
        C.snapshot({ items: C.delta(state, ids) }, 12000).forEach(function (part) {
          sendItems(part, null, String(e.from).toLowerCase());
        });
      }
      return;
    }
    if (e.kind === 'open') {
      refreshFriends();
      sendSnapshot(e.from, true);
      return;
    }
    if (e.kind === 'invite') setStatus(e.name + ' wants to share a to-do list with you.');
    if (e.kind === 'close') setStatus(e.name + ' stopped sharing.');
    refreshFriends();
  }

  el('add-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var input = el('new-item');
    try {
      var id = C.add(state, input.value);
      input.value = '';
      changed([id]);
    } catch (err) {
      setStatus(errorText(err));
    }
  });
  el('share').addEventListener('click', function () {
    channel.request().then(
      function (r) {
        setStatus('Shared with ' + r.granted.length + ' friend' + (r.granted.length === 1 ? '' : 's') + '.');
        refreshFriends();
      },
      function (err) {
        setStatus('Not shared: ' + errorText(err));
      },
    );
  });

  var loaded = load().then(render);
  if (!channel || !provider) {
    setStatus('This list stays on this device: open Shared To-Do inside BitUnicom to share it.');
    el('share').disabled = true;
    return;
  }
  provider.on('message', function (m) {
    loaded.then(function () {
      onMessage(m);
    });
  });
  loaded.then(refreshFriends).then(function () {
    setStatus('Ready.');
    // catch up with every friend already connected, both ways
    friends.forEach(function (f) {
      if (f.online && f.grantedByThem) sendSnapshot(f.address, true);
    });
  });
})();
