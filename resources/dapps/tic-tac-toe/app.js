// Tic-Tac-Toe's page: friends and invitations from window.bitunicom.channel, one game per
// friend (rules.js), kept in the dapp's storage (window.bitunicom.storage, kept by the node: a
// framed dapp's localStorage is third-party and often blocked; localStorage only outside
// BitUnicom) and sent whole to the friend after every move, whenever the channel opens again
// and when the page starts — with a sync request when we have no game — so a reconnect or a
// reload resumes the game.
(function () {
  'use strict';
  var T = globalThis.TicTacToe;
  var STORE_KEY = 'ttt.games.v1';
  var MESSAGE_TYPE = 'bitunicom_channel';

  var el = function (id) {
    return document.getElementById(id);
  };
  var statusEl = el('status');
  var channel = window.bitunicom && window.bitunicom.channel;
  var storage = window.bitunicom && window.bitunicom.storage;
  var provider = window.ethereum;

  var games = {};
  var friends = []; // granted friends: {address, name, online, grantedByThem, open}
  var invitations = [];
  var current = null; // address (lower case) of the friend whose game is shown

  function storeGet(key) {
    if (storage) return storage.get(key);
    return new Promise(function (resolve) {
      resolve(localStorage.getItem(key));
    });
  }

  var saving = Promise.resolve();
  /** Writes in order (a later state never lands before an earlier one). */
  function storeSet(key, value) {
    saving = saving
      .then(function () {
        return storage ? storage.set(key, value) : localStorage.setItem(key, value);
      })
      .catch(function (e) {
        setStatus('Could not save the game here: ' + errorText(e));
      });
  }

  function load() {
    return storeGet(STORE_KEY).then(
      function (text) {
        var v = JSON.parse(text || '{}');
        Object.keys(v).forEach(function (k) {
          if (T.validGame(v[k]) && !games[k]) games[k] = v[k];
        });
      },
      function () {
        /* nothing stored here (or no storage): friends resend their games */
      },
    );
  }

  function save() {
    storeSet(STORE_KEY, JSON.stringify(games));
  }

  function setStatus(text) {
    statusEl.textContent = text;
  }

  function seed() {
    var a = new Uint32Array(1);
    crypto.getRandomValues(a);
    return a[0];
  }

  function friendOf(key) {
    for (var i = 0; i < friends.length; i++) if (friends[i].address.toLowerCase() === key) return friends[i];
    return null;
  }

  function errorText(err) {
    return err && err.message ? err.message : String(err);
  }

  // One send in flight per friend, in order (the host answers at most 16 requests of a frame
  // at a time, and a send waits for the friend's acknowledgement). The game is read when its
  // turn comes, so a queued send always carries the latest state.
  var sending = {};
  var SYNC = { t: 'ttt-sync', v: 1 };
  /** Our game to the friend — or, without one, a request for theirs. */
  function send(key) {
    sending[key] = (sending[key] || Promise.resolve()).then(function () {
      var f = friendOf(key);
      var g = games[key];
      if (!f) return;
      return channel.send(f.address, g ? T.toWire(g) : SYNC).then(
        function (r) {
          if (!r.delivered && key === current) setStatus(f.name + ' did not get the last move yet; it is sent again when the channel is back.');
        },
        function (err) {
          setStatus('Could not send to ' + f.name + ': ' + errorText(err));
        },
      );
    });
  }

  function refreshFriends() {
    return channel.friends().then(
      function (r) {
        friends = r.friends;
        invitations = r.invitations;
        renderLobby();
        if (current) renderGame();
      },
      function (err) {
        setStatus('Channels are not available: ' + errorText(err));
      },
    );
  }

  function li(name, online, note) {
    var item = document.createElement('li');
    var dot = document.createElement('span');
    dot.className = 'dot' + (online ? ' online' : '');
    dot.title = online ? 'online' : 'offline';
    var n = document.createElement('span');
    n.className = 'name';
    n.textContent = name;
    item.append(dot, n);
    if (note) {
      var s = document.createElement('span');
      s.className = 'note';
      s.textContent = note;
      item.append(s);
    }
    return item;
  }

  function button(text, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function renderLobby() {
    var list = el('friends');
    list.textContent = '';
    invitations.forEach(function (inv) {
      var item = li(inv.name, inv.online, 'invites you');
      item.append(
        button('Accept', function () {
          channel.request({ friend: inv.address }).then(refreshFriends, function (err) {
            setStatus('Not accepted: ' + errorText(err));
          });
        }),
      );
      list.append(item);
    });
    friends.forEach(function (f) {
      var key = f.address.toLowerCase();
      var item = li(f.name, f.online, f.grantedByThem ? (games[key] ? 'game in progress' : '') : 'has not accepted yet');
      var play = button(games[key] ? 'Open game' : 'Play', function () {
        if (!games[key]) {
          games[key] = T.newGame(seed(), 'X');
          save();
          send(key);
        }
        show(key);
      });
      play.disabled = !f.grantedByThem;
      item.append(play);
      list.append(item);
    });
    if (!friends.length && !invitations.length) list.append(li('No friends here yet: invite one.', false, ''));
  }

  function show(key) {
    current = key;
    el('lobby').hidden = key !== null;
    el('game').hidden = key === null;
    if (key) renderGame();
  }

  function renderGame() {
    var f = friendOf(current);
    var g = games[current];
    if (!f || !g) return show(null);
    el('game-title').textContent = 'You (' + g.mine + ') vs ' + f.name + ' — round ' + g.round;
    var cells = T.board(g.moves);
    var o = T.outcome(g.moves);
    var t = T.turn(g.moves);
    var grid = el('board');
    grid.textContent = '';
    cells.forEach(function (c, i) {
      var b = button(c || '', function () {
        var next = T.play(games[current], i);
        if (next instanceof Error) return setStatus(next.message);
        games[current] = next;
        save();
        send(current);
        renderGame();
      });
      b.setAttribute('aria-label', 'cell ' + (i + 1) + (c ? ', ' + c : ', empty'));
      b.disabled = !!c || t !== g.mine || !f.online;
      if (o.line && o.line.indexOf(i) >= 0) b.className = 'win';
      grid.append(b);
    });
    var text;
    if (o.winner) text = o.winner === g.mine ? 'You won!' : f.name + ' won.';
    else if (o.draw) text = 'A draw.';
    else if (!f.online) text = f.name + ' is offline; the game goes on when they are back.';
    else text = t === g.mine ? 'Your turn.' : 'Waiting for ' + f.name + '…';
    el('turn').textContent = text;
    el('rematch').disabled = !o.over;
  }

  function onMessage(m) {
    if (!m || m.type !== MESSAGE_TYPE || !m.data) return;
    var e = m.data;
    var key = String(e.from || '').toLowerCase();
    if (e.kind === 'data') {
      if (e.data && e.data.t === SYNC.t) {
        if (games[key]) send(key); // the friend lost its copy: here is ours
        return;
      }
      var r = T.reconcile(games[key] || null, T.fromWire(e.data));
      if (r.changed) {
        games[key] = r.game;
        save();
      }
      if (r.reply) send(key);
      if (r.changed && current !== key) setStatus(e.name + ' made a move.');
      if (current === key) renderGame();
      else renderLobby();
      return;
    }
    if (e.kind === 'open') {
      refreshFriends().then(function () {
        send(key); // resync: the friend reconciles and answers if it is ahead
      });
      return;
    }
    if (e.kind === 'invite') setStatus(e.name + ' invites you to play.');
    if (e.kind === 'close') setStatus(e.name + (e.reason === 'uninstalled' ? ' removed Tic-Tac-Toe.' : ' stopped the channel.'));
    refreshFriends();
  }

  el('invite').addEventListener('click', function () {
    channel.request().then(
      function (r) {
        setStatus('Invited ' + r.granted.length + ' friend' + (r.granted.length === 1 ? '' : 's') + '.');
        refreshFriends();
      },
      function (err) {
        setStatus('No invitation sent: ' + errorText(err));
      },
    );
  });
  el('rematch').addEventListener('click', function () {
    games[current] = T.rematch(games[current], seed());
    save();
    send(current);
    renderGame();
  });
  el('new-game').addEventListener('click', function () {
    var g = games[current];
    games[current] = { round: g.round + 1, seed: seed(), mine: 'X', moves: [] };
    save();
    send(current);
    renderGame();
  });
  el('back').addEventListener('click', function () {
    show(null);
    renderLobby();
  });

  if (!channel || !provider) {
    setStatus('Open Tic-Tac-Toe inside BitUnicom to play with friends.');
    el('invite').disabled = true;
    return;
  }
  var loaded = load();
  provider.on('message', function (m) {
    loaded.then(function () {
      onMessage(m);
    });
  });
  loaded
    .then(refreshFriends)
    .then(function () {
      setStatus('Ready.');
      // resume: every friend we can reach gets our game, or is asked for its own
      friends.forEach(function (f) {
        if (f.online && f.grantedByThem) send(f.address.toLowerCase());
      });
    });
})();
