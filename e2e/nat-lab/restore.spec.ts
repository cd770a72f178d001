/**
 * Moving an account to a new machine (issue 7, items 6–8), through the CLI only. Every
 * combination of: restored from the recovery phrase or from a keystore file; the new machine
 * behind a NAT or on a public host; the friend whose messages wait for the account online the
 * whole time or coming online only after the new machine.
 *
 * Each case: the sender and the account are friends on their old machines and have talked;
 * the account's old machine goes away for good; the sender writes 3 messages (they wait — in
 * the account's router mailbox, sealed to the old machine's prekeys); the account is restored
 * on a fresh profile elsewhere. Then, within 30 s of both being online, and with nobody
 * accepting anything: the sender is a friend on the new machine, the 3 messages are there
 * exactly once, nothing delivered to the old machine comes again, and both can write.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameAddress, tempDir } from './bu-cli';
import { befriend, BOOTSTRAP, exchange, expectDelivered, freshNode, labSuite, log, scenario, sendAll, texts } from './flows';
import { sleep, waitFor, type NodeHost } from './lab';

type Case = { id: string; how: 'phrase' | 'keystore'; oldHost: NodeHost; newHost: NodeHost; senderHost: NodeHost; sender: 'online' | 'later' };

const CASES: Case[] = [
  // the bug report: phrase, new machine behind a symmetric NAT, sender online behind another
  { id: 'phrase-nat-online', how: 'phrase', oldHost: 'bu-drop1', newHost: 'bu-sym2', senderHost: 'bu-sym1', sender: 'online' },
  { id: 'keystore-nat-online', how: 'keystore', oldHost: 'bu-eif', newHost: 'bu-ans2', senderHost: 'bu-rej2', sender: 'online' },
  { id: 'phrase-public-online', how: 'phrase', oldHost: 'bu-adf', newHost: 'bu-pub1', senderHost: 'bu-ans1', sender: 'online' },
  { id: 'keystore-public-online', how: 'keystore', oldHost: 'bu-rej1', newHost: 'bu-pub1', senderHost: 'bu-sym2', sender: 'online' },
  { id: 'phrase-nat-later', how: 'phrase', oldHost: 'bu-ans1', newHost: 'bu-nopp', senderHost: 'bu-drop2', sender: 'later' },
  { id: 'keystore-nat-later', how: 'keystore', oldHost: 'bu-drop2', newHost: 'bu-sym1', senderHost: 'bu-adf', sender: 'later' },
  { id: 'phrase-public-later', how: 'phrase', oldHost: 'bu-sym1', newHost: 'bu-pub1', senderHost: 'bu-eif', sender: 'later' },
  { id: 'keystore-public-later', how: 'keystore', oldHost: 'bu-nopp', newHost: 'bu-pub1', senderHost: 'bu-rej1', sender: 'later' },
];

/** From the moment both are online. */
const ARRIVE_WITHIN_MS = 30_000;

const { routers, nodes } = labSuite();

async function runCase(c: Case): Promise<void> {
  const [sender, old] = await Promise.all([freshNode(nodes, c.senderHost, `${c.id}-sender`), freshNode(nodes, c.oldHost, `${c.id}-old`)]);
  await befriend(sender, old);
  await exchange(sender, old, `${c.id}-before`, 2);
  const before = texts(sender, old, `${c.id}-before`, 2);
  let keystore = '';
  if (c.how === 'keystore') {
    keystore = join(tempDir(`${c.id}-ks`), 'account.keystore.json');
    await old.exportKeystore(keystore);
  }

  // The old machine is gone for good; what the sender writes now has to wait.
  await old.stop();
  const waiting = texts(sender, old, `${c.id}-waiting`, 3);
  await sendAll(sender, old, waiting);
  await sleep(4000);
  const states = (await sender.messages(old.address)).filter((m) => waiting.includes(m.text)).map((m) => m.state);
  expect(states, 'nothing is delivered while no machine of the account is online').toEqual(waiting.map(() => expect.stringMatching(/^(sending|sent)$/)));
  if (c.sender === 'later') await sender.stop();

  // Restore on a fresh profile on another host.
  const moved = await freshNode(nodes, c.newHost, `${c.id}-new`, { init: false });
  const address = c.how === 'phrase' ? await moved.importMnemonic(old.mnemonic) : await moved.importKeystore(keystore);
  expect(sameAddress(address, old.address), 'the restored account is the old one').toBe(true);
  await moved.serve(BOOTSTRAP);
  if (c.sender === 'later') {
    await sleep(8000); // the new machine is settled and has tried to reach its friend
    await sender.serve(BOOTSTRAP);
  }
  const bothOnline = Date.now();
  log(`${c.id}: ${c.how} restore on ${c.newHost}, sender on ${c.senderHost} (${c.sender})`);

  // Friends again without anyone accepting, and what waited arrives once.
  await waitFor(async () => ((await moved.contacts()).find((x) => sameAddress(x.address, sender.address) && x.state === 'friend') ? true : undefined), {
    timeoutMs: ARRIVE_WITHIN_MS,
    what: `the restored account to list ${sender.label} as a friend (no accept)`,
  });
  expect((await moved.requests()).filter((x) => sameAddress(x.address, sender.address)), 'no pending request to accept').toEqual([]);
  await expectDelivered(sender, moved, waiting, Math.max(1000, ARRIVE_WITHIN_MS - (Date.now() - bothOnline)));
  const tookMs = Date.now() - bothOnline;
  log(`${c.id}: the 3 waiting messages arrived ${tookMs} ms after both were online`);
  expect(tookMs, 'arrived within 30 s of both being online (before the exactly-once settle)').toBeLessThan(ARRIVE_WITHIN_MS + 2500);
  const again = (await moved.messages(sender.address)).filter((m) => before.includes(m.text));
  expect(again, 'messages delivered to the old machine do not come again').toEqual([]);
  await exchange(sender, moved, `${c.id}-after`, 2);
  await Promise.all([sender.stop(), moved.stop()]);
}

describe('restoring an account on a new machine (bitunicom CLI)', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.how}, new machine ${c.newHost}, sender ${c.senderHost} ${c.sender === 'online' ? 'online throughout' : 'online only later'}`, scenario(nodes, routers, () => runCase(c)), 300_000);
  }
});
