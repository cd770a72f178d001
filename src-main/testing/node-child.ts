/**
 * A node in a child process, driven by JSON lines on stdin, for crash tests (kill -9) and
 * multi-process benchmarks. Each reply is one JSON line on stdout. Test support only.
 *   argv: <dataDir> <name> <port>
 *   {"cmd":"invite"} → {"invite"}      {"cmd":"add","invite"} → {"ok"}
 *   {"cmd":"accept","address"} → {"ok"}  {"cmd":"send","address","count","prefix"} → {"sent":i} per persisted message, then {"done"}
 *   {"cmd":"list","address"} → {"messages":[...]}
 */
import { createInterface } from 'node:readline';
import { startTestNode } from '../core/testnet';

const [dataDir, name, port] = process.argv.slice(2);
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

async function main() {
  const node = await startTestNode(name!, dataDir!, { listen: { host: '127.0.0.1', port: Number(port ?? 0) } });
  const h = node.handlers;
  const status = await h['node.status']({});
  out({ ready: true, address: node.address, port: status.listen?.port });
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const c = JSON.parse(line) as Record<string, unknown>;
    try {
      switch (c.cmd) {
        case 'invite':
          out(await h['contacts.invite']({}));
          break;
        case 'add':
          await h['contacts.add']({ invite: c.invite as string });
          out({ ok: true });
          break;
        case 'accept':
          await h['contacts.accept']({ address: c.address as string });
          out({ ok: true });
          break;
        case 'send':
          for (let i = 0; i < (c.count as number); i++) {
            await h['messages.send']({ address: c.address as string, text: `${c.prefix as string}${i}` });
            out({ sent: i });
          }
          out({ done: true });
          break;
        case 'list':
          out({ messages: await h['messages.list']({ address: c.address as string, limit: 500 }) });
          break;
        case 'requests':
          out({ requests: await h['contacts.requests']({}) });
          break;
        default:
          out({ error: `unknown command ${String(c.cmd)}` });
      }
    } catch (e) {
      out({ error: String(e) });
    }
  }
  await node.close();
}

main().catch((e) => {
  process.stderr.write(String(e) + '\n');
  process.exit(1);
});
