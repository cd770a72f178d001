// Token Poll's chain access, a plain script: it defines globalThis.PollChain (the page loads
// it before app.js; the tests run it in a vm context and compare it with ethers). No DOM.
//
// The TokenPoll contract (resources/contracts/TokenPoll.sol) is deployed in the BitUnicom
// devnet genesis at CREATE(0x…9011, 0). Calldata and results follow the Solidity ABI
// specification (https://docs.soliditylang.org/en/latest/abi-spec.html): 32-byte words,
// dynamic values (string, string[], uint256[]) behind offsets. Selectors are the first four
// bytes of keccak256 of each signature, fixed here (the tests check them against the artifact).
(function (root) {
  'use strict';

  var DEVNET_POLL = '0x569875e8F50CbAdE823215F67086eABcE6CB50dE';

  var SELECTORS = {
    createPoll: '0xbae52d88', // createPoll(string,string[],uint64)
    vote: '0x943e8216', // vote(uint256,uint8)
    pollCount: '0x9207891d', // pollCount()
    getPoll: '0x1a8cbcaa', // getPoll(uint256)
    voteOf: '0x45ddc85d', // voteOf(uint256,address)
    token: '0xfc0c546a', // token()
    balanceOf: '0x70a08231', // balanceOf(address)
    symbol: '0x95d89b41', // symbol()
    decimals: '0x313ce567', // decimals()
  };

  var ERRORS = {
    '0x04f9da63': 'You have already voted in this poll.',
    '0x5818cb2c': 'The duration must be between one minute and a year.',
    '0x5743d3aa': 'That option does not exist.',
    '0x26864a7a': 'A poll needs 2 to 8 options of 1 to 64 bytes each.',
    '0xafadeea5': 'The question must be 1 to 200 bytes.',
    '0xea4bef5b': 'You need BitUnicom test tokens (tBUT) to create polls and vote.',
    '0x8591cf85': 'This poll is closed.',
    '0xbd9b5c31': 'There is no such poll.',
  };

  function word(n) {
    var big = BigInt(n);
    if (big < 0n) throw new Error('negative numbers are not used here');
    var hex = big.toString(16);
    if (hex.length > 64) throw new Error('number too large for a word');
    return hex.padStart(64, '0');
  }

  function utf8Hex(s) {
    var bytes = new TextEncoder().encode(s);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += bytes[i].toString(16).padStart(2, '0');
    return { hex: hex, length: bytes.length };
  }

  /** A string's encoding without its offset: length word + data padded to whole words. */
  function encString(s) {
    var u = utf8Hex(s);
    var padded = u.hex.padEnd(Math.ceil(u.hex.length / 64) * 64, '0');
    return word(u.length) + padded;
  }

  /** Head/tail encoding of a tuple of already-encoded parts ({dynamic, data}). */
  function encTuple(parts) {
    var head = '';
    var tail = '';
    var headBytes = parts.length * 32;
    parts.forEach(function (p) {
      if (p.dynamic) {
        head += word(headBytes + tail.length / 2);
        tail += p.data;
      } else head += p.data;
    });
    return head + tail;
  }

  function encStringArray(list) {
    return word(list.length) + encTuple(list.map(function (s) {
      return { dynamic: true, data: encString(s) };
    }));
  }

  function address(a) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new Error('not an address: ' + a);
    return a.slice(2).toLowerCase().padStart(64, '0');
  }

  var encode = {
    createPoll: function (question, options, durationSec) {
      return SELECTORS.createPoll + encTuple([
        { dynamic: true, data: encString(question) },
        { dynamic: true, data: encStringArray(options) },
        { dynamic: false, data: word(durationSec) },
      ]);
    },
    vote: function (pollId, option) {
      return SELECTORS.vote + word(pollId) + word(option);
    },
    pollCount: function () {
      return SELECTORS.pollCount;
    },
    getPoll: function (pollId) {
      return SELECTORS.getPoll + word(pollId);
    },
    voteOf: function (pollId, voter) {
      return SELECTORS.voteOf + word(pollId) + address(voter);
    },
    token: function () {
      return SELECTORS.token;
    },
    balanceOf: function (who) {
      return SELECTORS.balanceOf + address(who);
    },
    symbol: function () {
      return SELECTORS.symbol;
    },
  };

  // ---- decoding: `hex` without 0x, positions in bytes -----------------------------------

  function strip(data) {
    if (typeof data !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(data)) throw new Error('not ABI data');
    return data.slice(2);
  }

  function wordAt(hex, pos) {
    var w = hex.slice(pos * 2, pos * 2 + 64);
    if (w.length !== 64) throw new Error('ABI data too short');
    return BigInt('0x' + w);
  }

  function num(hex, pos) {
    var n = wordAt(hex, pos);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('ABI offset or length too large');
    return Number(n);
  }

  function strAt(hex, pos) {
    var len = num(hex, pos);
    var body = hex.slice((pos + 32) * 2, (pos + 32 + len) * 2);
    if (body.length !== len * 2) throw new Error('ABI string runs past the data');
    var bytes = new Uint8Array(len);
    for (var i = 0; i < len; i++) bytes[i] = parseInt(body.slice(i * 2, i * 2 + 2), 16);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  }

  function stringArrayAt(hex, pos) {
    var n = num(hex, pos);
    var base = pos + 32;
    var out = [];
    for (var i = 0; i < n; i++) out.push(strAt(hex, base + num(hex, base + i * 32)));
    return out;
  }

  function uintArrayAt(hex, pos) {
    var n = num(hex, pos);
    var out = [];
    for (var i = 0; i < n; i++) out.push(wordAt(hex, pos + 32 + i * 32));
    return out;
  }

  function addressAt(hex, pos) {
    return '0x' + hex.slice(pos * 2 + 24, pos * 2 + 64);
  }

  var decode = {
    uint: function (data) {
      return wordAt(strip(data), 0);
    },
    address: function (data) {
      return addressAt(strip(data), 0);
    },
    string: function (data) {
      var hex = strip(data);
      return strAt(hex, num(hex, 0));
    },
    /** getPoll's (creator, question, options, tallies, createdAt, endsAt, voters, open). */
    poll: function (data) {
      var hex = strip(data);
      return {
        creator: addressAt(hex, 0),
        question: strAt(hex, num(hex, 32)),
        options: stringArrayAt(hex, num(hex, 64)),
        tallies: uintArrayAt(hex, num(hex, 96)),
        createdAt: num(hex, 128),
        endsAt: num(hex, 160),
        voters: num(hex, 192),
        open: wordAt(hex, 224) === 1n,
      };
    },
    /** voteOf's (voted, option, weight). */
    vote: function (data) {
      var hex = strip(data);
      return { voted: wordAt(hex, 0) === 1n, option: num(hex, 32), weight: wordAt(hex, 64) };
    },
  };

  /** A sentence for a revert's data (a TokenPoll custom error), or null. */
  function revertReason(data) {
    if (typeof data !== 'string' || data.length < 10) return null;
    return ERRORS[data.slice(0, 10).toLowerCase()] || null;
  }

  /** 1234.5 tBUT style formatting of a base-unit amount with 18 decimals. */
  function formatUnits(value, decimals) {
    var d = BigInt(decimals === undefined ? 18 : decimals);
    var base = 10n ** d;
    var whole = value / base;
    var frac = (value % base).toString().padStart(Number(d), '0').slice(0, 2).replace(/0+$/, '');
    return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? '.' + frac : '');
  }

  root.PollChain = Object.freeze({
    DEVNET_POLL: DEVNET_POLL,
    SELECTORS: SELECTORS,
    encode: encode,
    decode: decode,
    revertReason: revertReason,
    formatUnits: formatUnits,
  });
})(globalThis);
