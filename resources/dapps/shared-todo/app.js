// Shared To-Do's page: the list (crdt.js) kept in localStorage; every local change is sent to
// the friends the list is shared with, a friend's changes are merged and passed on to the
// others (merging is idempotent, so nothing loops), and the whole list is exchanged each time a
// channel opens (a reconnect or a new friend catches up).
(function () {
  'use strict';
  var C = globalThis.TodoCrdt;
  var STORE_KEY = 'shared-todo.v1';
  var MESSAGE_TYPE = 'bitunicom_channel';

  var el = function (id) {
    return document.getElementById(id);
  };
  var channel = window.bitunicom && window.bitunicom.channel;
  var provider = window.ethereum;
  var state = load();
  var friends = [];
  var invitations = [];

  function randomReplica() {
    var a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return (a[0].toString(36) + a[1].toString(36)).slice(0, 12);
  }

  function load() {
    try {
      var s = C.restore(JSON.parse(localStorage.getItem(STORE_KEY) || 'null'));
      if (s) return s;
    } catch {
      /* a damaged copy: start a new list */
    }
    return C.create(randomReplica());
  }

  function save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) {
      setStatus('Could not save the list here: ' + e.message);
    }
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

  /** Sends items to one friend, or to every friend who shares the list but `except`. */
  function sendItems(items, to, except) {
    if (!channel) return;
    var targets = to ? [to] : friends.filter((f) => f.grantedByThem && f.online && f.address.toLowerCase() !== except).map((f) => f.address);
    targets.forEach(function (address) {
      var key = address.toLowerCase();
      sending[key] = (sending[key] || Promise.resolve()).then(function () {
        return channel.send(address, { t: 'todo', v: 1, items: items }).catch(function (err) {
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
      C.snapshot(state, 12000).forEach(function (part) {
        sendItems(part, e.from);
      });
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

  render();
  if (!channel || !provider) {
    setStatus('This list stays on this device: open Shared To-Do inside BitUnicom to share it.');
    el('share').disabled = true;
    return;
  }
  provider.on('message', onMessage);
  setStatus('Ready.');
  refreshFriends().then(function () {
    // catch up with every friend already connected
    friends.forEach(function (f) {
      if (f.online && f.grantedByThem) C.snapshot(state, 12000).forEach((part) => sendItems(part, f.address));
    });
  });
})();
