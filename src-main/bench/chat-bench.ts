/**
 * Full chat message round trip between two cores: send() → signed Msg envelope → session →
 * receiver verifies the signature, commits to its encrypted store, acks → sender marks it
 * delivered. Each direction costs one secp256k1 signature and one public-key recovery, plus
 * a durable (synchronous=FULL) SQLite commit on each side.
 */
import { befriend, startTestNode, stopAll } from '../core/testnet';
import { nowUs } from './stats';

export async function chatRoundTrip(iterations: number): Promise<number[]> {
  const a = await startTestNode('Alice');
  const b = await startTestNode('Bob');
  await befriend(a, b);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = nowUs();
    await new Promise<void>((resolve) => {
      let id = '';
      const off = a.events.on('message.updated', (m) => {
        if (m.id === id && m.state === 'delivered') {
          off();
          resolve();
        }
      });
      void Promise.resolve(a.handlers['messages.send']({ address: b.address, text: `bench ${i}` })).then((m) => (id = m.id));
    });
    out.push(nowUs() - t0);
  }
  await stopAll([a, b], [a.dir, b.dir]);
  return out;
}
