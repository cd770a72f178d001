/**
 * Two (or three) ChatServices over real sessions on 127.0.0.1: the profile wallet and its
 * proof, and payment messages through the outbox, ACK, dedup and a receiver restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getAddress } from 'ethers';
import { sleep, waitFor } from '../base';
import type { MessageT } from '../../../src-preload/contract';
import type { PaymentBody } from './payment-body';
import { Kind } from './payload';
import { TestPeer, befriend } from './test-peers';

const peers: TestPeer[] = [];
async function peer(name: string, opts: { mailbox?: boolean; keepaliveMs?: number } = {}): Promise<TestPeer> {
  const p = await new TestPeer(name, undefined, opts).start();
  peers.push(p);
  return p;
}
afterEach(async () => {
  for (const p of peers.splice(0)) await p.cleanup();
});

const codeOf = async (f: () => unknown): Promise<string> => {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};

function sendBody(to: string, over: Partial<PaymentBody> = {}): PaymentBody {
  return {
    type: 'send',
    chainId: 31337,
    networkName: 'Anvil',
    token: null,
    symbol: 'BU',
    decimals: 18,
    amount: '1500000000000000000',
    to,
    from: getAddress('0x' + '11'.repeat(20)),
    txHash: '0x' + 'ab'.repeat(32),
    note: 'for lunch',
    requestId: null,
    ...over,
  };
}

describe('profile wallet', () => {
  it('is exchanged with the friendship, stored when proven, replaced by a newer proven one', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    const wa = a.useWallet();
    const wb = b.useWallet();
    await befriend(a, b);
    await waitFor(() => a.chat.contactWallet(b.address) === wb && b.chat.contactWallet(a.address) === wa, 10_000);
    expect(a.chat.listContacts().find((c) => c.address === b.address)?.wallet).toBe(wb);

    const seen: (string | null)[] = [];
    a.chat.on('contact', (c) => c.address === b.address && seen.push(c.wallet));
    const wb2 = b.useWallet(); // Bob's profile now names another wallet: his next PING carries it
    await waitFor(() => a.chat.contactWallet(b.address) === wb2, 10_000);
    expect(seen).toContain(wb2);
    expect(a.store.contacts.get(b.address)?.wallet).toBe(wb2);
    expect(a.warnings).toEqual([]);
  });

  it('ignores a proof that does not bind the wallet to the sender (logged, never stored)', async () => {
    const a = await peer('Alice');
    const mallory = await peer('Mallory');
    const victim = await peer('Victim');
    victim.useWallet();
    // Mallory copies a proof made for the victim's identity, naming the victim's wallet as hers
    mallory.wallet = victim.wallet;
    await befriend(a, mallory);
    await waitFor(() => a.warnings.some((w) => w.includes('wallet proof')), 10_000);
    expect(a.chat.contactWallet(mallory.address)).toBeNull();
    // and a proof for her identity signed by a key that is not the named wallet's
    const stolen = victim.wallet!.address;
    mallory.useWallet();
    mallory.wallet = { address: stolen, proof: mallory.wallet!.proof };
    await sleep(600); // several keepalive PINGs
    expect(a.chat.contactWallet(mallory.address)).toBeNull();
    expect(a.store.contacts.get(mallory.address)?.wallet).toBeNull();
  });
});

describe('payment messages', () => {
  it('are friends-only, delivered and acknowledged, shown with the payment and summary', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    const c = await peer('Carol');
    const wb = b.useWallet();
    a.chat.addInvite(c.chat.invite()); // pending: not a friend yet
    expect(await codeOf(() => a.chat.sendPayment(c.address, sendBody(wb)))).toBe('NOT_FRIEND');
    await befriend(a, b);
    expect(await codeOf(() => a.chat.sendPayment(b.address, sendBody(wb, { amount: '1.5' })))).toBe('BAD_INPUT');

    const added: MessageT[] = [];
    b.chat.on('messageAdded', (m) => added.push(m));
    const sent = a.chat.sendPayment(b.address, sendBody(wb));
    expect(sent).toMatchObject({ direction: 'out', text: 'Sent 1.5 BU', payment: { type: 'send', status: 'pending', amount: { amount: '1500000000000000000', formatted: '1.5 BU', symbol: 'BU', decimals: 18 } } });
    await waitFor(() => a.chat.getMessage(b.address, sent.id)?.state === 'delivered', 10_000);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ id: sent.id, direction: 'in', text: 'Received 1.5 BU', payment: { status: 'pending', to: wb, txHash: '0x' + 'ab'.repeat(32), note: 'for lunch' } });
    expect(b.store.contacts.get(a.address)?.unread).toBe(1);

    const req = b.chat.sendPayment(a.address, { ...sendBody(wb), type: 'request', txHash: null, from: null, amount: '2000000', symbol: 'TT', decimals: 6, token: { address: getAddress('0x' + '22'.repeat(20)), symbol: 'TT', name: 'Test', decimals: 6 } });
    await waitFor(() => a.chat.getMessage(b.address, req.id) !== null, 10_000);
    expect(a.chat.getMessage(b.address, req.id)).toMatchObject({ text: 'Requested 2 TT', payment: { type: 'request', status: 'requested', paidBy: null } });
    expect(a.chat.paymentMessages({ status: ['requested'] }).map((m) => m.id)).toEqual([req.id]);
    expect(a.chat.paymentMessages().map((m) => m.id)).toEqual([sent.id, req.id]);
  });

  it('setPaymentStatus updates the local JSON and emits once per change', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    await befriend(a, b);
    const m = a.chat.sendPayment(b.address, sendBody(getAddress('0x' + '33'.repeat(20))));
    const updates: MessageT[] = [];
    a.chat.on('messageUpdated', (u) => u.payment && u.payment.status !== 'pending' && updates.push(u));
    const r = a.chat.setPaymentStatus(b.address, m.id, { status: 'confirmed', detail: 'Confirmed in block 7' });
    expect(r.payment).toMatchObject({ status: 'confirmed', detail: 'Confirmed in block 7', paidBy: null });
    a.chat.setPaymentStatus(b.address, m.id, { status: 'confirmed', detail: 'Confirmed in block 7' }); // unchanged: no event
    a.chat.setPaymentStatus(b.address, m.id, { status: 'confirmed' }); // detail kept: unchanged
    expect(updates.map((u) => u.payment!.detail)).toEqual(['Confirmed in block 7']);
    expect(a.chat.getMessage(b.address, m.id)?.payment?.status).toBe('confirmed');
    expect(await codeOf(() => a.chat.setPaymentStatus(b.address, m.id, { status: 'lost' as never }))).toBe('BAD_INPUT');
    const text = a.chat.send(b.address, 'hi');
    expect(await codeOf(() => a.chat.setPaymentStatus(b.address, text.id, { status: 'paid' }))).toBe('NOT_FOUND');
  });

  it('wait for an offline receiver, arrive after its restart, and are stored once', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    await befriend(a, b);
    await b.stop();
    const m = a.chat.sendPayment(b.address, sendBody(getAddress('0x' + '44'.repeat(20))));
    await sleep(300);
    expect(a.chat.getMessage(b.address, m.id)?.state).not.toBe('delivered');

    await b.start(); // same database, key and port
    await waitFor(() => a.chat.getMessage(b.address, m.id)?.state === 'delivered', 15_000);
    expect(b.chat.getMessage(a.address, m.id)?.payment?.status).toBe('pending');

    // Bob restarts again and Alice's copy arrives a second time: still one message
    await b.stop();
    await b.start();
    await waitFor(() => b.chat.linkOf(a.address) !== 'none', 15_000);
    const replay = { id: Buffer.from(m.id, 'hex'), kind: Kind.PAYMENT, payment: sendBody(getAddress('0x' + '44'.repeat(20))), sentMs: m.sentAt };
    expect(a.chat.transmit(b.address, replay)).toBe(true);
    a.chat.transmit(b.address, { ...replay, id: new Uint8Array(replay.id) });
    await sleep(400);
    expect(b.chat.list(a.address, {}).filter((x) => x.id === m.id)).toHaveLength(1);
    expect(b.chat.paymentMessages()).toHaveLength(1);
    expect(b.store.contacts.get(a.address)?.unread).toBe(1);
  });

  it('also travel through a router mailbox (ratchet-sealed) and are stored once', async () => {
    const a = await peer('Alice', { mailbox: true });
    const b = await peer('Bob', { mailbox: true });
    await befriend(a, b);
    const bundle = b.chat.prekeyBundle()!;
    await b.stop();
    const m = a.chat.sendPayment(b.address, sendBody(getAddress('0x' + '55'.repeat(20)), { note: 'via mailbox' }));
    const row = a.store.messages.get(b.address, m.id)!;
    expect(await a.chat.offline!.deposit(row, { routers: [{ host: '127.0.0.1', port: 9 }], prekeys: bundle })).toBe(true);
    expect(a.deposited).toHaveLength(1);
    await b.start();
    const items = [{ id: 'x1', blob: a.deposited[0]!.blob }];
    b.chat.collectMailbox('router', items);
    b.chat.collectMailbox('router', items); // pushed again: still one message
    expect(b.chat.getMessage(a.address, m.id)).toMatchObject({ text: 'Received 1.5 BU', payment: { status: 'pending', note: 'via mailbox' } });
    expect(b.chat.paymentMessages()).toHaveLength(1);
  });

});

describe('profile wallet, announced', () => {
  it('announceProfile sends a new wallet at once, not at the next keepalive', async () => {
    const a = await peer('Alice', { keepaliveMs: 60_000 });
    const b = await peer('Bob', { keepaliveMs: 60_000 });
    await befriend(a, b);
    await sleep(200); // the PINGs of the new session are over
    const w = b.useWallet();
    await sleep(300);
    expect(a.chat.contactWallet(b.address)).toBeNull(); // no keepalive within a minute
    b.chat.announceProfile();
    await waitFor(() => a.chat.contactWallet(b.address) === w, 2000);
  });
});
