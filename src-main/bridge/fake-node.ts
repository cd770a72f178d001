/**
 * @module bridge/fake-node
 * TEST SUPPORT ONLY: an in-memory stand-in for the core's `BuNode` (handlers + events) so the
 * dispatcher, the transports and the CLI can be tested without the real node. It keeps just
 * enough state to behave plausibly (phase, contacts, messages) and records every call.
 */
import { BuError, TypedEmitter } from '../core/base';
import type {
  AppStateT,
  BridgeHandlers,
  ContactT,
  EventName,
  EventPayload,
  MessageT,
  NodeStatusT,
  SealingStatusT,
} from '../../src-preload/contract';
import { CALL_METHODS, DAPP_METHODS, PAYMENT_METHODS, WALLET_METHODS } from '../../src-preload/contract';

type WalletMethod = keyof typeof WALLET_METHODS | keyof typeof PAYMENT_METHODS;
type CallMethod = keyof typeof CALL_METHODS;

/** The fake has no wallet: every wallet and payment method fails the way a node without a chain would. */
function noWallet(): Pick<BridgeHandlers, WalletMethod> {
  const names = [...Object.keys(WALLET_METHODS), ...Object.keys(PAYMENT_METHODS)];
  return Object.fromEntries(names.map((m) => [m, () => { throw new BuError('NOT_RUNNING', `the fake node has no wallet (${m})`); }])) as unknown as Pick<BridgeHandlers, WalletMethod>;
}

/** The fake has no sessions: no call in progress, and starting one fails as on a node that is not running. */
function noCalls(): Pick<BridgeHandlers, CallMethod> {
  const fail = (m: string) => () => {
    throw new BuError('NOT_RUNNING', `the fake node cannot call (${m})`);
  };
  const h = Object.fromEntries(Object.keys(CALL_METHODS).map((m) => [m, fail(m)])) as unknown as Pick<BridgeHandlers, CallMethod>;
  return { ...h, 'calls.current': () => null };
}

/** The fake has no chain: every dapp method fails the way a node without one would. */
function noDapps(): Pick<BridgeHandlers, keyof typeof DAPP_METHODS> {
  const fail = (m: string) => () => {
    throw new BuError('NOT_RUNNING', `the fake node has no dapp store (${m})`);
  };
  return Object.fromEntries(Object.keys(DAPP_METHODS).map((m) => [m, fail(m)])) as unknown as Pick<BridgeHandlers, keyof typeof DAPP_METHODS>;
}

export type FakeEvents = { [E in EventName]: EventPayload<E> };

export type FakeNode = {
  dataDir: string;
  handlers: BridgeHandlers;
  events: TypedEmitter<FakeEvents>;
  calls: Array<{ method: string; input: unknown }>;
  contacts: ContactT[];
  messages: MessageT[];
  closed: boolean;
  close(): Promise<void>;
};

export const FAKE_SELF = '0x1111111111111111111111111111111111111111';

export function fakeContact(address: string, name: string, state: ContactT['state'] = 'friend'): ContactT {
  return { address, name, state, unread: 0, online: false, lastMessage: null, createdAt: 1, updatedAt: 1, wallet: null };
}

export function createFakeNode(opts: { dataDir?: string; phase?: AppStateT['phase']; password?: string } = {}): FakeNode {
  const events = new TypedEmitter<FakeEvents>();
  const password = opts.password ?? 'correct horse';
  let phase: AppStateT['phase'] = opts.phase ?? 'no-account';
  let name: string | null = phase === 'no-account' ? null : 'Fake';
  let seq = 0;
  let sealing: SealingStatusT = {
    mode: 'idle',
    state: 'paused',
    reason: 'Not registered as a sealer',
    cpuCapPercent: 50,
    cpuPercent: 0,
    sealsMade: 0,
    rewardsWei: '0',
    history: [],
  };
  const node: FakeNode = {
    dataDir: opts.dataDir ?? '/fake',
    events,
    calls: [],
    contacts: [],
    messages: [],
    closed: false,
    async close() {
      node.closed = true;
    },
    handlers: undefined as unknown as BridgeHandlers,
  };
  const state = (): AppStateT => ({
    phase,
    address: phase === 'no-account' ? null : FAKE_SELF,
    name,
    dataDir: node.dataDir,
    version: '0.0.0-test',
  });
  const changed = (): AppStateT => {
    const s = state();
    events.emit('app.state', s);
    return s;
  };
  const requireUnlocked = () => {
    if (phase === 'no-account') throw new BuError('NO_ACCOUNT', 'no account');
    if (phase === 'locked') throw new BuError('LOCKED', 'locked');
  };
  const contact = (address: string): ContactT => {
    const c = node.contacts.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (!c) throw new BuError('NOT_FOUND', `no contact ${address}`);
    return c;
  };
  const setState = (address: string, s: ContactT['state']): ContactT => {
    requireUnlocked();
    const c = contact(address);
    c.state = s;
    events.emit('contact.updated', c);
    return c;
  };
  const create = (input: { password: string; name: string }): AppStateT => {
    if (phase !== 'no-account') throw new BuError('ACCOUNT_EXISTS', 'account exists');
    phase = 'unlocked';
    name = input.name;
    return changed();
  };

  const handlers: BridgeHandlers = {
    'app.getState': () => state(),
    'account.create': (i) => create(i),
    'account.importMnemonic': (i) => {
      if (i.mnemonic.trim().split(/\s+/).length < 12) throw new BuError('BAD_MNEMONIC', 'bad mnemonic');
      return create(i);
    },
    'account.importKeystore': (i) => {
      if (!i.keystore.startsWith('{')) throw new BuError('BAD_KEYSTORE', 'not json');
      return create(i);
    },
    'account.unlock': async (i) => {
      if (phase === 'no-account') throw new BuError('NO_ACCOUNT', 'no account');
      if (i.password !== password) throw new BuError('WRONG_PASSWORD', 'wrong password');
      phase = 'unlocked';
      return changed();
    },
    'account.lock': () => {
      if (phase === 'unlocked') phase = 'locked';
      return changed();
    },
    'account.exportKeystore': (i) => {
      requireUnlocked();
      if (i.password !== password) throw new BuError('WRONG_PASSWORD', 'wrong password');
      return { filename: `UTC--fake--${FAKE_SELF.slice(2)}.json`, keystore: '{"version":3}' };
    },
    'devnet.reset': () => {
      throw new BuError('NOT_RUNNING', 'the fake node has no chain');
    },
    'profile.setName': (i) => {
      requireUnlocked();
      name = i.name;
      return changed();
    },
    'node.status': (): NodeStatusT => ({
      ...state(),
      listen: { host: '0.0.0.0', port: 40404 },
      rpcUrl: null,
      chain: null,
      nat: { type: 'unknown', mapped: null },
      routers: [],
      dhtNodes: 0,
      peers: [],
      uptimeMs: 1234,
      outboxPending: 0,
      sealing,
    }),
    'contacts.list': () => (requireUnlocked(), [...node.contacts]),
    'contacts.requests': () => (requireUnlocked(), node.contacts.filter((c) => c.state === 'pending_in')),
    'contacts.invite': () => (requireUnlocked(), { link: `bitunicom:invite/${FAKE_SELF}` }),
    'contacts.add': (i) => {
      requireUnlocked();
      const m = /0x[0-9a-fA-F]{40}/.exec(i.invite);
      if (!m) throw new BuError('BAD_INVITE', 'bad invite');
      const c = fakeContact(m[0], 'Invited', 'pending_out');
      node.contacts.push(c);
      return c;
    },
    'contacts.accept': (i) => setState(i.address, 'friend'),
    'contacts.decline': (i) => setState(i.address, 'declined'),
    'contacts.block': (i) => setState(i.address, 'blocked'),
    'contacts.unblock': (i) => setState(i.address, 'friend'),
    'contacts.rename': (i) => {
      requireUnlocked();
      const c = contact(i.address);
      c.name = i.name;
      return c;
    },
    'messages.list': (i) => {
      requireUnlocked();
      const all = node.messages.filter((m) => m.peer.toLowerCase() === i.address.toLowerCase());
      return all.slice(-(i.limit ?? 100));
    },
    'messages.send': (i) => {
      requireUnlocked();
      const c = contact(i.address);
      if (c.state !== 'friend') throw new BuError('NOT_FRIEND', 'not a friend');
      seq++;
      const m: MessageT = {
        id: seq.toString(16).padStart(32, '0'),
        peer: c.address,
        direction: 'out',
        text: i.text,
        state: 'sending',
        sentAt: 1_700_000_000_000 + seq,
        localAt: 1_700_000_000_000 + seq,
        seq,
        payment: null,
      };
      node.messages.push(m);
      events.emit('message.added', m);
      return m;
    },
    'messages.markRead': () => ({ ok: true as const }),
    'sealing.setMode': (i) => (sealing = { ...sealing, mode: i.mode }),
    'sealing.setCpuCap': (i) => (sealing = { ...sealing, cpuCapPercent: i.percent }),
    'sealing.setIdle': () => sealing,
    'sealing.activity': () => ({ ok: true as const }),
    'sealing.stakeInfo': () => ({ status: 'active' as const, stakeWei: '100000000000000000000', minStakeWei: '100000000000000000000', withdrawableAt: null, head: '1', unbondingBlocks: 64 }),
    'sealing.stake': () => ({ txHash: `0x${'ab'.repeat(32)}` }),
    ...noWallet(),
    ...noCalls(),
    ...noDapps(),
    'messages.search': () => {
      throw new BuError('NOT_RUNNING', 'the fake node has no search index (messages.search)');
    },
  };
  // Record every call (method name and input) for assertions.
  const recorded = {} as Record<string, (input: unknown) => unknown>;
  for (const [method, fn] of Object.entries(handlers) as Array<[string, (input: unknown) => unknown]>) {
    recorded[method] = (input: unknown) => {
      node.calls.push({ method, input });
      return fn(input);
    };
  }
  node.handlers = recorded as unknown as BridgeHandlers;
  return node;
}
