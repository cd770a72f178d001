/**
 * BitUnicom dapp provider shim — served by the dapp server from the dapp's own origin as
 * /__bitunicom/provider.js and injected first in <head>. Plain browser script: no imports,
 * no build step.
 *
 * - EIP-1193: `window.ethereum` with request({method, params}) → Promise, on / removeListener
 *   for accountsChanged, chainChanged, connect, disconnect, message; errors are
 *   ProviderRpcError objects (Error with a numeric `code`, optional `data`). `connect`
 *   ({chainId}) is emitted once the port arrives; the others come from the node.
 * - EIP-6963: announces {info: {uuid, name, icon, rdns}, provider} (frozen) with
 *   `eip6963:announceProvider` at load and again on every `eip6963:requestProvider`.
 * - Transport: the page runs in a sandboxed iframe (HTML Living Standard §7.4; no popups,
 *   top navigation or modals) with no bridge. It posts {bitunicom:'hello'} to its parent
 *   (targetOrigin '*': the shim cannot know the host's origin, and the hello carries nothing);
 *   the host answers, only to this origin, with a MessageChannel port, and every request and
 *   event then goes over that port. Requests made earlier are queued until the port arrives.
 * - `window.bitunicom.storage`: get/set/remove/keys/clear over the node-kept bitunicom_storage*;
 * - `window.bitunicom.channel`: wrappers over bitunicom_requestChannel,
 *   bitunicom_channelFriends, bitunicom_send and the 'message' event (implemented by the node).
 */
(function () {
  'use strict';
  if (window.bitunicom && window.bitunicom.provider) return; // injected twice: keep the first

  var EVENTS = ['accountsChanged', 'chainChanged', 'connect', 'disconnect', 'message'];
  var HELLO_RETRY_MS = 500;
  var HELLO_TRIES = 20;
  var ICON =
    'data:image/svg+xml,' +
    encodeURIComponent(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#2c6bed"/>' +
        '<path d="M20 16h15a10 10 0 0 1 4 19 10 10 0 0 1-4 13H20z" fill="none" stroke="#fff" stroke-width="5" stroke-linejoin="round"/>' +
        '<path d="M20 32h16" stroke="#fff" stroke-width="5"/></svg>',
    );

  function ProviderRpcError(code, message, data) {
    var err = new Error(message || 'The request failed.');
    err.name = 'ProviderRpcError';
    err.code = code;
    if (data !== undefined) err.data = data;
    return err;
  }

  function uuidV4() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = [];
    for (var i = 0; i < 16; i++) h.push((b[i] + 0x100).toString(16).slice(1));
    return h.slice(0, 4).join('') + '-' + h.slice(4, 6).join('') + '-' + h.slice(6, 8).join('') + '-' + h.slice(8, 10).join('') + '-' + h.slice(10).join('');
  }

  var port = null;
  var nextId = 1;
  var waiting = new Map(); // id → {resolve, reject}
  var queued = []; // messages sent before the port arrived
  var listeners = new Map(); // event → Set<fn>
  EVENTS.forEach(function (e) {
    listeners.set(e, new Set());
  });

  function emit(event, data) {
    var set = listeners.get(event);
    if (!set) return;
    set.forEach(function (fn) {
      try {
        fn(data);
      } catch (err) {
        window.setTimeout(function () {
          throw err;
        }, 0);
      }
    });
  }

  function onPortMessage(e) {
    var m = e.data;
    if (!m || typeof m !== 'object') return;
    if (typeof m.event === 'string') {
      if (listeners.has(m.event)) emit(m.event, m.data);
      return;
    }
    var w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error && typeof m.error === 'object') w.reject(ProviderRpcError(typeof m.error.code === 'number' ? m.error.code : -32603, String(m.error.message || ''), m.error.data));
    else w.resolve(m.result);
  }

  var unreachable = false; // no parent answered: requests fail at once (EIP-1193 4900)

  function send(message) {
    if (port) port.postMessage(message);
    else if (unreachable) throw ProviderRpcError(4900, 'BitUnicom is not reachable from this page.');
    else queued.push(message);
  }

  function request(args) {
    if (!args || typeof args !== 'object' || Array.isArray(args)) return Promise.reject(ProviderRpcError(-32602, 'request() takes an object {method, params}.'));
    var method = args.method;
    var params = args.params;
    if (typeof method !== 'string' || method.length === 0) return Promise.reject(ProviderRpcError(-32602, 'The method must be a non-empty string.'));
    if (params !== undefined && (params === null || typeof params !== 'object')) return Promise.reject(ProviderRpcError(-32602, 'params must be an array or an object.'));
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      waiting.set(id, { resolve: resolve, reject: reject });
      var message = params === undefined ? { id: id, method: method } : { id: id, method: method, params: params };
      try {
        send(message);
      } catch (err) {
        waiting.delete(id);
        reject(err && err.name === 'ProviderRpcError' ? err : ProviderRpcError(-32602, 'params could not be sent (they must be plain data).'));
      }
    });
  }

  function on(event, fn) {
    if (listeners.has(event) && typeof fn === 'function') listeners.get(event).add(fn);
    return provider;
  }

  function removeListener(event, fn) {
    if (listeners.has(event)) listeners.get(event).delete(fn);
    return provider;
  }

  // Not frozen: libraries may add their own fields to a provider. EIP-6963 freezes the detail.
  var provider = {
    isBitUnicom: true,
    request: request,
    on: on,
    addListener: on,
    removeListener: removeListener,
    off: removeListener,
    isConnected: function () {
      return port !== null;
    },
  };

  // The port: only from our parent (the BitUnicom window), once per hello.
  var tries = 0;
  var helloTimer = null;
  function hello() {
    if (port) return;
    if (window.parent === window) return failQueued();
    window.parent.postMessage({ bitunicom: 'hello' }, '*');
    if (++tries < HELLO_TRIES) helloTimer = window.setTimeout(hello, HELLO_RETRY_MS);
    else failQueued();
  }

  function failQueued() {
    if (port) return;
    unreachable = true;
    queued = [];
    waiting.forEach(function (w) {
      w.reject(ProviderRpcError(4900, 'BitUnicom is not reachable from this page.'));
    });
    waiting.clear();
  }

  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data || e.data.bitunicom !== 'port' || !e.ports || !e.ports[0]) return;
    var first = port === null;
    if (port) port.close(); // the host opened a new channel (it replaced ours)
    port = e.ports[0];
    unreachable = false;
    port.onmessage = onPortMessage;
    if (helloTimer !== null) window.clearTimeout(helloTimer);
    var pending = queued;
    queued = [];
    pending.forEach(function (m) {
      port.postMessage(m);
    });
    // EIP-1193: 'connect' with the chain id once the provider can reach a chain.
    if (first)
      request({ method: 'eth_chainId' }).then(
        function (chainId) {
          emit('connect', { chainId: chainId });
        },
        function () {},
      );
  });

  var info = Object.freeze({ uuid: uuidV4(), name: 'BitUnicom', icon: ICON, rdns: 'org.bitunicom' });
  var detail = Object.freeze({ info: info, provider: provider });
  function announce() {
    window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: detail }));
  }
  window.addEventListener('eip6963:requestProvider', announce);

  var channel = Object.freeze({
    /** Ask the user to let friends exchange messages with this dapp ({friend?}: one friend; the dialog picks). */
    request: function (options) {
      return request({ method: 'bitunicom_requestChannel', params: options === undefined ? [] : [options] });
    },
    /** The friends this dapp may message. */
    friends: function () {
      return request({ method: 'bitunicom_channelFriends', params: [] });
    },
    /** Send JSON data (≤ 16 KiB) to one granted friend → {delivered}. */
    send: function (to, data) {
      return request({ method: 'bitunicom_send', params: [{ to: to, data: data }] });
    },
    /**
     * Listen for channel events from friends (the EIP-1193 'message' events of type
     * 'bitunicom_channel'; fn gets their data); returns a function that stops listening.
     */
    onMessage: function (fn) {
      if (typeof fn !== 'function') throw new TypeError('onMessage needs a function.');
      var wrapper = function (m) {
        if (m && m.type === 'bitunicom_channel') fn(m.data);
      };
      on('message', wrapper);
      return function () {
        removeListener('message', wrapper);
      };
    },
  });

  /**
   * The dapp's own storage, kept by the node (manifest permission 'storage'; works where the
   * browser blocks a framed dapp's localStorage). Values are text (store JSON as a string).
   */
  var storage = Object.freeze({
    get: function (key) {
      return request({ method: 'bitunicom_storageGet', params: [key] });
    },
    set: function (key, value) {
      return request({ method: 'bitunicom_storageSet', params: [key, value] });
    },
    remove: function (key) {
      return request({ method: 'bitunicom_storageRemove', params: [key] });
    },
    keys: function () {
      return request({ method: 'bitunicom_storageKeys', params: [] });
    },
    clear: function () {
      return request({ method: 'bitunicom_storageClear', params: [] });
    },
  });

  Object.defineProperty(window, 'ethereum', { value: provider, writable: false, configurable: true, enumerable: true });
  Object.defineProperty(window, 'bitunicom', { value: Object.freeze({ provider: provider, channel: channel, storage: storage }), writable: false, configurable: true, enumerable: true });
  announce();
  hello();
})();
