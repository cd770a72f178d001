// Token Poll's page: reads TokenPoll with eth_call and writes with eth_sendTransaction through
// the host's EIP-1193 provider (window.ethereum; every transaction is confirmed by the user in
// BitUnicom's dialog). Calldata comes from chain.js. A contract address set by hand is kept in
// the dapp's storage (window.bitunicom.storage, kept by the node: a framed dapp's localStorage
// is third-party and often blocked).
(function () {
  'use strict';
  var P = globalThis.PollChain;
  var CONTRACT_KEY = 'token-poll.contract';
  var MAX_SHOWN = 20;

  var el = function (id) {
    return document.getElementById(id);
  };
  var provider = window.ethereum;
  var storage = window.bitunicom && window.bitunicom.storage;
  var account = null;
  var contract = P.DEVNET_POLL;

  function storeGet(key) {
    if (storage) return storage.get(key);
    return new Promise(function (resolve) {
      resolve(localStorage.getItem(key));
    });
  }

  function storeSet(key, value) {
    return storage ? storage.set(key, value) : Promise.resolve(localStorage.setItem(key, value));
  }
  var token = null; // {address, symbol}

  function setStatus(text) {
    el('status').textContent = text;
  }

  function errorText(err) {
    var data = err && (err.data && typeof err.data === 'object' ? err.data.data : err.data);
    // the BitUnicom provider names a revert's data in its message: "… (revert data 0x…)"
    var m = !data && err && typeof err.message === 'string' ? /revert data (0x[0-9a-fA-F]+)/.exec(err.message) : null;
    return P.revertReason(m ? m[1] : data) || (err && err.message) || String(err);
  }

  function rpc(method, params) {
    return provider.request({ method: method, params: params || [] });
  }

  function call(to, data) {
    return rpc('eth_call', [{ to: to, data: data }, 'latest']);
  }

  async function send(data, what) {
    if (!account) await connect();
    if (!account) return;
    // a dry run first: a refusal is named before anything is signed
    try {
      await rpc('eth_call', [{ from: account, to: contract, data: data }, 'latest']);
    } catch (err) {
      setStatus(what + ' refused: ' + errorText(err));
      return;
    }
    setStatus(what + ': confirm the transaction in BitUnicom…');
    var hash;
    try {
      hash = await rpc('eth_sendTransaction', [{ from: account, to: contract, data: data }]);
    } catch (err) {
      setStatus(what + ' not sent: ' + errorText(err));
      return;
    }
    setStatus(what + ': waiting for the block…');
    for (var i = 0; i < 120; i++) {
      var receipt = await rpc('eth_getTransactionReceipt', [hash]);
      if (receipt) {
        await refresh();
        setStatus(receipt.status === '0x1' ? what + ' done.' : what + ' failed on chain.');
        return;
      }
      await new Promise(function (r) {
        setTimeout(r, 500);
      });
    }
    setStatus(what + ' is still pending (' + hash + ').');
  }

  async function connect() {
    try {
      var accounts = await rpc('eth_requestAccounts');
      account = accounts[0] || null;
    } catch (err) {
      setStatus('Not connected: ' + errorText(err));
    }
    await refresh();
  }

  async function loadToken() {
    if (token) return token;
    var address = P.decode.address(await call(contract, P.encode.token()));
    var symbol = 'tokens';
    try {
      symbol = P.decode.string(await call(address, P.encode.symbol()));
    } catch {
      /* a token without symbol() */
    }
    token = { address: address, symbol: symbol };
    return token;
  }

  function renderPoll(id, poll, mine) {
    var li = document.createElement('li');
    li.value = id + 1;
    var q = document.createElement('div');
    q.className = 'question';
    q.textContent = poll.question;
    var total = poll.tallies.reduce(function (a, b) {
      return a + b;
    }, 0n);
    var meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent =
      poll.voters + ' voter' + (poll.voters === 1 ? '' : 's') + ', ' + P.formatUnits(total) + ' ' + token.symbol + ' · ' +
      (poll.open ? 'open until ' : 'closed ') + new Date(poll.endsAt * 1000).toLocaleString();
    li.append(q, meta);
    poll.options.forEach(function (text, i) {
      var row = document.createElement('div');
      row.className = 'option' + (mine && mine.voted && mine.option === i ? ' mine' : '');
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = text + ' — ' + P.formatUnits(poll.tallies[i]) + ' ' + token.symbol;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'small';
      b.textContent = 'Vote';
      b.disabled = !poll.open || !account || (mine && mine.voted);
      b.addEventListener('click', function () {
        void send(P.encode.vote(id, i), 'Vote');
      });
      var bar = document.createElement('div');
      bar.className = 'bar';
      var fill = document.createElement('span');
      fill.style.width = total > 0n ? Number((poll.tallies[i] * 1000n) / total) / 10 + '%' : '0%';
      bar.append(fill);
      row.append(label, b, bar);
      li.append(row);
    });
    return li;
  }

  async function refresh() {
    el('contract').value = contract;
    el('connect').hidden = !!account;
    try {
      var code = await rpc('eth_getCode', [contract, 'latest']);
      if (!code || code === '0x') {
        setStatus('There is no TokenPoll contract at ' + contract + ' on this network (the BitUnicom devnet has one).');
        el('polls').textContent = '';
        return;
      }
      var t = await loadToken();
      if (account) {
        var balance = P.decode.uint(await call(t.address, P.encode.balanceOf(account)));
        el('account').textContent = account + ' · ' + P.formatUnits(balance) + ' ' + t.symbol;
      }
      var count = Number(P.decode.uint(await call(contract, P.encode.pollCount())));
      var list = el('polls');
      list.textContent = '';
      el('no-polls').hidden = count > 0;
      for (var id = count - 1; id >= 0 && id >= count - MAX_SHOWN; id--) {
        var poll = P.decode.poll(await call(contract, P.encode.getPoll(id)));
        var mine = account ? P.decode.vote(await call(contract, P.encode.voteOf(id, account))) : null;
        list.append(renderPoll(id, poll, mine));
      }
      if (/^(Starting|Loading|There is no|Could not read)/.test(el('status').textContent)) setStatus(count + ' poll' + (count === 1 ? '' : 's') + '.');
    } catch (err) {
      setStatus('Could not read the polls: ' + errorText(err));
    }
  }

  el('connect').addEventListener('click', function () {
    void connect();
  });
  el('refresh').addEventListener('click', function () {
    void refresh();
  });
  el('create-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var question = el('question').value.trim();
    var options = el('options').value.split('\n').map(function (s) {
      return s.trim();
    }).filter(Boolean);
    if (options.length < 2 || options.length > 8) return setStatus('Give 2 to 8 options, one per line.');
    var data;
    try {
      data = P.encode.createPoll(question, options, Number(el('duration').value));
    } catch (err) {
      return setStatus(errorText(err));
    }
    void send(data, 'New poll').then(function () {
      el('question').value = '';
      el('options').value = '';
    });
  });
  el('contract-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var v = el('contract').value.trim();
    if (!/^0x[0-9a-fA-F]{40}$/.test(v)) return setStatus('That is not an address.');
    contract = v;
    token = null;
    storeSet(CONTRACT_KEY, v).catch(function (err) {
      setStatus('The address is used now but could not be saved: ' + errorText(err));
    });
    void refresh();
  });

  if (!provider) {
    setStatus('Open Token Poll inside BitUnicom (it needs the wallet).');
    return;
  }
  provider.on('accountsChanged', function (accounts) {
    account = accounts && accounts[0] ? accounts[0] : null;
    void refresh();
  });
  provider.on('chainChanged', function () {
    token = null;
    void refresh();
  });
  setStatus('Loading…');
  storeGet(CONTRACT_KEY)
    .then(
      function (saved) {
        if (saved && /^0x[0-9a-fA-F]{40}$/.test(saved)) contract = saved;
      },
      function () {
        /* no saved address: the devnet's */
      },
    )
    .then(function () {
      return rpc('eth_accounts');
    })
    .then(
      function (accounts) {
        account = accounts[0] || null;
        return refresh();
      },
      function () {
        return refresh();
      },
    );
})();
