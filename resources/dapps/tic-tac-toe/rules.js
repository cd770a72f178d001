// Tic-Tac-Toe rules and game state, a plain script: it defines globalThis.TicTacToe (the page loads
// it before app.js; the tests run it in a vm context). No DOM, no network.
//
// A game between two friends is {round, seed, mine, moves}: `moves` are the cells (0..8, row
// by row) in the order they were played, X first; `mine` is our mark; `seed` tells apart two
// games of the same round that were started at the same time. Both players send their whole
// game after every move and whenever the channel opens again; `reconcile` decides, the same
// way on both sides, which of two versions wins, so a reconnect always converges.
(function (root) {
  'use strict';

  var LINES = [
    [0, 1, 2], [3, 4, 5], [6, 7, 8],
    [0, 3, 6], [1, 4, 7], [2, 5, 8],
    [0, 4, 8], [2, 4, 6],
  ];

  function other(mark) {
    return mark === 'X' ? 'O' : 'X';
  }

  /** The board (9 cells: 'X', 'O' or null) after `moves`. */
  function board(moves) {
    var cells = [null, null, null, null, null, null, null, null, null];
    for (var i = 0; i < moves.length; i++) cells[moves[i]] = i % 2 === 0 ? 'X' : 'O';
    return cells;
  }

  /** {winner: 'X'|'O'|null, line: [a,b,c]|null, draw, over}. */
  function outcome(moves) {
    var cells = board(moves);
    for (var i = 0; i < LINES.length; i++) {
      var l = LINES[i];
      var c = cells[l[0]];
      if (c && c === cells[l[1]] && c === cells[l[2]]) return { winner: c, line: l.slice(), draw: false, over: true };
    }
    var full = moves.length === 9;
    return { winner: null, line: null, draw: full, over: full };
  }

  /** Whose turn it is ('X' moves first), or null once the game is over. */
  function turn(moves) {
    return outcome(moves).over ? null : moves.length % 2 === 0 ? 'X' : 'O';
  }

  /** True if `moves` is a game that could have been played: distinct cells 0..8, nothing after the end. */
  function validMoves(moves) {
    if (!Array.isArray(moves) || moves.length > 9) return false;
    var seen = {};
    for (var i = 0; i < moves.length; i++) {
      var m = moves[i];
      if (typeof m !== 'number' || m % 1 !== 0 || m < 0 || m > 8 || seen[m]) return false;
      if (i > 0 && outcome(moves.slice(0, i)).over) return false;
      seen[m] = true;
    }
    return true;
  }

  function validGame(g) {
    return !!g && typeof g === 'object' && typeof g.round === 'number' && g.round >= 1 && g.round % 1 === 0 &&
      typeof g.seed === 'number' && g.seed >= 0 && g.seed < 4294967296 && g.seed % 1 === 0 &&
      (g.mine === 'X' || g.mine === 'O') && validMoves(g.moves);
  }

  /** A new game (round 1) in which we play `mine`. */
  function newGame(seed, mine) {
    return { round: 1, seed: seed, mine: mine || 'X', moves: [] };
  }

  /** We play `cell`; a new game, or an Error saying why not. */
  function play(game, cell) {
    var t = turn(game.moves);
    if (t === null) return new Error('The game is over.');
    if (t !== game.mine) return new Error('It is not your turn.');
    if (typeof cell !== 'number' || cell % 1 !== 0 || cell < 0 || cell > 8) return new Error('There is no such cell.');
    if (game.moves.indexOf(cell) >= 0) return new Error('That cell is taken.');
    return { round: game.round, seed: game.seed, mine: game.mine, moves: game.moves.concat([cell]) };
  }

  /** The next round: marks swap (who was O starts as X), a fresh seed. */
  function rematch(game, seed) {
    return { round: game.round + 1, seed: seed, mine: other(game.mine), moves: [] };
  }

  /** What we send: our game as the friend sees it (`senderIs` our mark). */
  function toWire(game) {
    return { t: 'ttt', v: 1, round: game.round, seed: game.seed, senderIs: game.mine, moves: game.moves.slice() };
  }

  /** The friend's message as a game from our side, or null if it is not a valid one. */
  function fromWire(msg) {
    if (!msg || typeof msg !== 'object' || msg.t !== 'ttt' || msg.v !== 1) return null;
    var g = { round: msg.round, seed: msg.seed, mine: msg.senderIs === 'X' ? 'O' : msg.senderIs === 'O' ? 'X' : null, moves: msg.moves };
    return validGame(g) ? { round: g.round, seed: g.seed, mine: g.mine, moves: g.moves.slice() } : null;
  }

  function isPrefix(a, b) {
    if (a.length > b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /**
   * Local game vs. the friend's (already from our side): {game, changed, reply}. Later round
   * wins; in the same round the higher seed wins (two games started at once); in the same
   * game the longer move list wins if it extends the other. `reply`: the friend is behind or
   * disagrees, send it ours.
   */
  function reconcile(local, remote) {
    if (!remote) return { game: local, changed: false, reply: !!local };
    if (!local) return { game: remote, changed: true, reply: false };
    if (remote.round !== local.round) {
      return remote.round > local.round ? { game: remote, changed: true, reply: false } : { game: local, changed: false, reply: true };
    }
    if (remote.seed !== local.seed) {
      return remote.seed > local.seed ? { game: remote, changed: true, reply: false } : { game: local, changed: false, reply: true };
    }
    if (remote.mine !== local.mine) return { game: local, changed: false, reply: true }; // cannot be the same game
    if (remote.moves.length > local.moves.length && isPrefix(local.moves, remote.moves)) {
      // the friend may only have added moves that were its own to make
      for (var i = local.moves.length; i < remote.moves.length; i++) {
        if ((i % 2 === 0 ? 'X' : 'O') === local.mine) return { game: local, changed: false, reply: true };
      }
      return { game: remote, changed: true, reply: false };
    }
    var same = remote.moves.length === local.moves.length && isPrefix(local.moves, remote.moves);
    return { game: local, changed: false, reply: !same };
  }

  root.TicTacToe = Object.freeze({
    LINES: LINES,
    board: board,
    outcome: outcome,
    turn: turn,
    validMoves: validMoves,
    validGame: validGame,
    newGame: newGame,
    play: play,
    rematch: rematch,
    toWire: toWire,
    fromWire: fromWire,
    reconcile: reconcile,
  });
})(globalThis);
