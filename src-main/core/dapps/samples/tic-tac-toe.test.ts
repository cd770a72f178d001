/**
 * The Tic-Tac-Toe sample's rules (resources/dapps/tic-tac-toe/rules.js): wins on every line,
 * draws, turns, illegal moves, rematch, the wire form, and `reconcile` converging the same way
 * on both sides after a reconnect, a lost message or two games started at once.
 */
import { describe, expect, it } from 'vitest';
import { loadScript } from './load-script';

type Game = { round: number; seed: number; mine: 'X' | 'O'; moves: number[] };
type Ttt = {
  LINES: number[][];
  board(m: number[]): ('X' | 'O' | null)[];
  outcome(m: number[]): { winner: 'X' | 'O' | null; line: number[] | null; draw: boolean; over: boolean };
  turn(m: number[]): 'X' | 'O' | null;
  validMoves(m: unknown): boolean;
  newGame(seed: number, mine?: 'X' | 'O'): Game;
  play(g: Game, cell: number): Game | Error;
  rematch(g: Game, seed: number): Game;
  toWire(g: Game): Record<string, unknown>;
  fromWire(m: unknown): Game | null;
  reconcile(local: Game | null, remote: Game | null): { game: Game | null; changed: boolean; reply: boolean };
};

const T = loadScript<Ttt>('tic-tac-toe', 'rules.js', 'TicTacToe');
const plain = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V; // out of the vm's realm

/** Alice (X) and Bob (O) each hold the game from their side. */
function pair(seed = 7) {
  return { alice: T.newGame(seed, 'X'), bob: T.fromWire(T.toWire(T.newGame(seed, 'X')))! };
}
const move = (g: Game, cell: number) => {
  const n = T.play(g, cell);
  if (n instanceof Error) throw n;
  return n;
};
/** What the friend gets when `g` is sent. */
const over = (g: Game) => T.fromWire(plain(T.toWire(g)));

describe('tic-tac-toe rules', () => {
  it('finds a win on each of the eight lines, and draws', () => {
    for (const line of T.LINES) {
      const others = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((c) => !line.includes(c));
      // X plays the line, O two cells that do not complete anything with X's
      const moves = [line[0]!, others[0]!, line[1]!, others[1]!, line[2]!];
      const o = T.outcome(moves);
      expect(plain(o)).toEqual({ winner: 'X', line, draw: false, over: true });
      expect(T.turn(moves)).toBeNull();
    }
    const draw = [0, 1, 2, 4, 3, 5, 7, 6, 8]; // X O X / X O O / O X X
    expect(plain(T.board(draw))).toEqual(['X', 'O', 'X', 'X', 'O', 'O', 'O', 'X', 'X']);
    expect(plain(T.outcome(draw))).toEqual({ winner: null, line: null, draw: true, over: true });
    expect(T.outcome([0, 4]).over).toBe(false);
  });

  it('enforces turns and legal cells', () => {
    const { alice, bob } = pair();
    expect(T.turn([])).toBe('X');
    expect((T.play(bob, 0) as Error).message).toBe('It is not your turn.');
    const a1 = move(alice, 4);
    expect(T.turn(a1.moves)).toBe('O');
    expect((T.play(a1, 0) as Error).message).toBe('It is not your turn.');
    const b1 = T.reconcile(bob, over(a1)).game!;
    expect((T.play(b1, 4) as Error).message).toBe('That cell is taken.');
    expect((T.play(b1, 9) as Error).message).toBe('There is no such cell.');
    const won = { ...alice, moves: [0, 3, 1, 4, 2] };
    expect((T.play(won, 8) as Error).message).toBe('The game is over.');
    expect(T.validMoves([0, 3, 1, 4, 2, 5])).toBe(false); // a move after the win
    expect(T.validMoves([0, 0])).toBe(false);
    expect(T.validMoves([0, 1.5])).toBe(false);
    expect(T.validMoves('0,1')).toBe(false);
  });

  it('plays a whole game over the wire to the same result on both sides', () => {
    let { alice, bob } = pair();
    const script: ['a' | 'b', number][] = [['a', 0], ['b', 4], ['a', 1], ['b', 8], ['a', 2]];
    for (const [who, cell] of script) {
      if (who === 'a') {
        alice = move(alice, cell);
        bob = T.reconcile(bob, over(alice)).game!;
      } else {
        bob = move(bob, cell);
        alice = T.reconcile(alice, over(bob)).game!;
      }
    }
    expect(plain(alice.moves)).toEqual(plain(bob.moves));
    expect(T.outcome(alice.moves).winner).toBe('X');
    expect([alice.mine, bob.mine]).toEqual(['X', 'O']);
    // rematch: marks swap, Bob starts
    const a2 = T.rematch(alice, 99);
    const b2 = T.reconcile(bob, over(a2)).game!;
    expect([a2.mine, b2.mine, b2.round, T.turn(b2.moves)]).toEqual(['O', 'X', 2, 'X']);
  });

  it('recovers after a lost message or a reconnect: the side behind catches up, the one ahead replies', () => {
    let { alice, bob } = pair();
    alice = move(alice, 0);
    bob = T.reconcile(bob, over(alice)).game!;
    bob = move(bob, 4); // Bob's move is lost on the way
    // on reconnect both send their game
    const atAlice = T.reconcile(alice, over(bob));
    const atBob = T.reconcile(bob, over(alice));
    expect([atAlice.changed, atAlice.reply, atBob.changed, atBob.reply]).toEqual([true, false, false, true]);
    expect(plain(atAlice.game!.moves)).toEqual([0, 4]);
    // a friend who forgot everything adopts ours
    expect(T.reconcile(null, over(bob))).toMatchObject({ changed: true });
    // the same state again changes nothing and needs no reply
    expect(T.reconcile(atAlice.game, over(bob))).toMatchObject({ changed: false, reply: false });
  });

  it('settles two games started at once by the seed, and refuses moves that were not the friend’s', () => {
    const alice = T.newGame(10, 'X');
    const bob = T.newGame(20, 'X'); // both pressed Play at the same moment
    const atAlice = T.reconcile(alice, over(bob));
    const atBob = T.reconcile(bob, over(alice));
    expect(atAlice.game!.seed).toBe(20);
    expect(atBob.game!.seed).toBe(20);
    expect([atAlice.game!.mine, atBob.game!.mine]).toEqual(['O', 'X']);
    // a friend claiming a move of ours is ignored (and told our state)
    const fake = { ...T.fromWire(T.toWire(alice))!, moves: [4] }; // "Alice played 4" coming from Bob
    expect(T.reconcile(alice, over(fake))).toMatchObject({ changed: false, reply: true });
    expect(T.fromWire({ t: 'ttt', v: 1, round: 1, seed: 1, senderIs: 'Z', moves: [] })).toBeNull();
    expect(T.fromWire({ t: 'ttt', v: 1, round: 0, seed: 1, senderIs: 'X', moves: [] })).toBeNull();
    expect(T.fromWire({ t: 'ttt', v: 1, round: 1, seed: 1, senderIs: 'X', moves: [0, 0] })).toBeNull();
    expect(T.fromWire({ t: 'chat' })).toBeNull();
  });
});
