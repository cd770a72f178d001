import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeNode, fakeContact, FAKE_SELF, type FakeNode } from '../bridge/fake-node';
import { main } from './cli';
import type { CliDeps, CliIO } from './context';
import { daemonFilePath, readDaemonInfo, writeDaemonInfo } from './daemon-file';

const BOB = '0xB0b0000000000000000000000000000000000001';
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; out: string; err: string[] };

function makeDeps(opts: { env?: Record<string, string>; stdin?: string; phase?: FakeNode extends never ? never : 'no-account' | 'locked' | 'unlocked'; signal?: AbortSignal; nodes?: FakeNode[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const nodes = opts.nodes ?? [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: opts.env ?? {},
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    platform: 'linux',
    home: dir,
    cwd: dir,
  };
  const deps: CliDeps = {
    io,
    shutdownSignal: opts.signal,
    loadCore: async () => ({
      createNode: async (o) => {
        const n = createFakeNode({ dataDir: o.dataDir, phase: opts.phase ?? 'locked', password: PASSWORD });
        nodes.push(n);
        return n;
      },
      generateMnemonic: () => MNEMONIC,
    }),
  };
  return { deps, out, err, nodes };
}

async function run(argv: string[], opts: Parameters<typeof makeDeps>[0] = {}): Promise<Run & { nodes: FakeNode[] }> {
  const h = makeDeps(opts);
  const code = await main(argv, h.deps);
  return { code, out: h.out.join('\n'), err: h.err, nodes: h.nodes };
}

/** Starts `serve` in-process and waits for its UI line. */
async function serve(extra: string[] = [], opts: Parameters<typeof makeDeps>[0] = {}) {
  const ac = new AbortController();
  const h = makeDeps({ ...opts, signal: ac.signal });
  const done = main(['serve', '--data', dir, '--log-level', 'error', ...extra], h.deps);
  for (let i = 0; i < 500 && !h.out.some((l) => l.startsWith('UI: ') || l.startsWith('{')); i++) {
    const early = await Promise.race([done, new Promise((r) => setTimeout(() => r(null), 10))]);
    if (early !== null) throw new Error(`serve exited early (${early}): ${h.err.join(' | ')}`);
  }
  return {
    ...h,
    node: h.nodes[0]!,
    async stop() {
      ac.abort();
      return done;
    },
  };
}

function expectOneErrorLine(r: Run, pattern: RegExp) {
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(pattern);
  expect(r.err[0]).not.toMatch(/\n|\s+at\s.+:\d+/);
}

describe('cli: usage', () => {
  it('prints help and exits 0', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Usage: bitunicom <command>');
    }
    const send = await run(['send', '--help']);
    expect(send.code).toBe(0);
    expect(send.out).toContain('Usage: bitunicom send <address|name> <text...>');
    expect((await run(['help', 'messages'])).out).toContain('--limit N');
  });

  it('reports usage mistakes in one line with exit code 2', async () => {
    expectOneErrorLine({ ...(await run([])), code: 2 }, /^bitunicom: missing command\. Run 'bitunicom --help'/);
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['status', '--bogus'], /unknown option --bogus\. Run 'bitunicom status --help'/],
      [['send', 'bob'], /missing argument: send <address\|name> <text\.\.\.>/],
      [['lock', 'now'], /unexpected argument "now"/],
      [['messages', 'bob', '--limit', '0'], /--limit must be a whole number from 1 to 500/],
      [['serve', '--listen', 'nope'], /--listen must be HOST:PORT/],
      [['init', '--data', 'x'], /a password is needed: set BITUNICOM_PASSWORD or pass --password-file FILE/],
      [['call', 'app.getState', '{oops', '--data', 'x'], /the input is not valid JSON/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expectOneErrorLine(r, pattern);
    }
  });
});

describe('cli: without a running node', () => {
  it('says NOT_RUNNING and how to start one', async () => {
    const r = await run(['status', '--data', dir]);
    expect(r.code).toBe(1);
    expectOneErrorLine(r, new RegExp(`^error: No BitUnicom node is running for this profile\\. \\(Start it with: bitunicom serve --data ${dir}\\)$`));
  });

  it('recognises a stale daemon.json left by a dead process', async () => {
    writeDaemonInfo(dir, { pid: 2 ** 22 + 777, uiPort: 9, token: 'x', startedAt: 1 });
    const r = await run(['contacts', '--data', dir]);
    expect(r.code).toBe(1);
    expectOneErrorLine(r, /no longer running\. Start it with: bitunicom serve --data/);
  });

  it('init creates the account locally, prints the address and the phrase once, and closes the node', async () => {
    const r = await run(['init', '--data', dir, '--name', 'Ann'], { env: { BITUNICOM_PASSWORD: PASSWORD }, phase: 'no-account' });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Account created: ${FAKE_SELF} (Ann).`);
    expect(r.out.split(MNEMONIC)).toHaveLength(2);
    expect(r.out).toMatch(/write these words down/);
    expect(r.nodes[0]!.calls).toEqual([{ method: 'account.create', input: { mnemonic: MNEMONIC, password: PASSWORD, name: 'Ann' } }]);
    expect(r.nodes[0]!.closed).toBe(true);
  });

  it('init fails cleanly (no phrase shown) when the profile has an account', async () => {
    const r = await run(['init', '--data', dir], { env: { BITUNICOM_PASSWORD: PASSWORD }, phase: 'locked' });
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('legal');
    expectOneErrorLine(r, /^error: An account already exists in this profile\./);
    expect(r.nodes[0]!.closed).toBe(true);
  });

  it('import reads the phrase from stdin or a file, or a keystore with its password file', async () => {
    const fromStdin = await run(['import', '--data', dir, '--json'], { env: { BITUNICOM_PASSWORD: PASSWORD }, phase: 'no-account', stdin: `  ${MNEMONIC}\n` });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.out)).toMatchObject({ phase: 'unlocked', address: FAKE_SELF, name: 'Me' });
    expect(fromStdin.nodes[0]!.calls[0]).toEqual({ method: 'account.importMnemonic', input: { mnemonic: MNEMONIC, password: PASSWORD, name: 'Me' } });

    writeFileSync(join(dir, 'ks.json'), '{"version":3,"crypto":{}}');
    writeFileSync(join(dir, 'kspw'), 'ks-pass\n');
    writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`);
    const ks = await run(['import', '--data', dir, '--keystore', 'ks.json', '--keystore-password-file', 'kspw', '--password-file', 'pw'], { phase: 'no-account' });
    expect(ks.code).toBe(0);
    expect(ks.nodes[0]!.calls[0]).toEqual({
      method: 'account.importKeystore',
      input: { keystore: '{"version":3,"crypto":{}}', keystorePassword: 'ks-pass', password: PASSWORD, name: 'Me' },
    });

    const both = await run(['import', '--data', dir, '--keystore', 'a', '--mnemonic-file', 'b'], { env: { BITUNICOM_PASSWORD: PASSWORD } });
    expect(both.code).toBe(2);
    const bad = await run(['import', '--data', dir], { env: { BITUNICOM_PASSWORD: PASSWORD }, phase: 'no-account', stdin: 'too few words' });
    expect(bad.code).toBe(1);
    expectOneErrorLine(bad, /^error: That recovery phrase is not valid/);
  });
});

describe('cli: through a running serve', () => {
  it('serves, writes daemon.json (0600), answers every command, and cleans up on shutdown', async () => {
    const s = await serve([], { env: { BITUNICOM_PASSWORD: PASSWORD } });
    s.node.contacts.push(fakeContact(BOB, 'Bob'), fakeContact('0x' + '3'.repeat(40), 'Carol', 'pending_in'));
    const ui = s.out.find((l) => l.startsWith('UI: '))!;
    const info = readDaemonInfo(dir)!;
    expect(ui).toBe(`UI: http://127.0.0.1:${info.uiPort}/?token=${info.token}`);
    expect(info.pid).toBe(process.pid);
    expect(statSync(daemonFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(s.out).toContain(`Address: ${FAKE_SELF}`);
    expect(s.out).toContain('Listening: udp 0.0.0.0:40404');
    expect(s.node.calls.map((c) => c.method)).toContain('account.unlock');

    const env = { BITUNICOM_PASSWORD: PASSWORD };
    const d = ['--data', dir];
    const status = await run(['status', ...d]);
    expect(status.code).toBe(0);
    expect(status.out).toContain('Account:  unlocked');
    expect(status.out).toContain(`UI:       http://127.0.0.1:${info.uiPort}/?token=${info.token}`);

    expect((await run(['invite', ...d])).out).toBe(`bitunicom:invite/${FAKE_SELF}`);
    const add = await run(['add', `bitunicom:invite/0x${'4'.repeat(40)}`, ...d]);
    expect(add.out).toBe(`Invited (0x${'4'.repeat(40)}): request sent`);
    expect((await run(['requests', ...d])).out).toMatch(/Carol\s+0x3{40}\s+wants to connect/);
    expect((await run(['accept', 'carol', ...d])).out).toBe(`Accepted: Carol (0x${'3'.repeat(40)}): friend`);

    const sent = await run(['send', 'BOB', 'hello', 'there', ...d]);
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/you → Bob {2}\[sending\]\n {4}hello there$/);
    expect(s.node.calls.find((c) => c.method === 'messages.send')?.input).toEqual({ address: BOB, text: 'hello there' });
    expect((await run(['send', ...d, BOB.toLowerCase(), '--', '-1', 'is', 'fine'])).code).toBe(0);
    const msgs = await run(['messages', 'bob', '--limit', '5', ...d]);
    expect(msgs.out).toContain('    hello there');
    expect(msgs.out).toContain('    -1 is fine');
    expect(s.node.calls.find((c) => c.method === 'messages.list')?.input).toEqual({ address: BOB, limit: 5 });

    const contacts = await run(['contacts', '--json', ...d]);
    expect(JSON.parse(contacts.out).map((c: { name: string }) => c.name)).toEqual(['Bob', 'Carol', 'Invited']);
    const call = await run(['call', 'app.getState', ...d]);
    expect(JSON.parse(call.out)).toMatchObject({ phase: 'unlocked', address: FAKE_SELF });

    const errors: Array<[string[], RegExp]> = [
      [['send', 'dave', 'hi', ...d], /^error: That contact or message does not exist\. \(no contact named "dave"/],
      [['call', 'wallet.drain', '{}', ...d], /^error: The app asked for something the node does not know how to do\./],
      [['call', 'messages.send', `{"address":"${BOB}","text":" "}`, ...d], /^error: Some of the information entered is not valid\. \(text: message is empty\)$/],
      [['init', ...d], /^error: An account already exists in this profile\./],
    ];
    for (const [argv, pattern] of errors) {
      const r = await run(argv, { env });
      expect(r.code, argv.join(' ')).toBe(1);
      expectOneErrorLine(r, pattern);
    }

    expect((await run(['lock', ...d])).out).toBe('Locked.');
    writeFileSync(join(dir, 'wrong'), 'nope\n');
    const wrong = await run(['unlock', '--password-file', join(dir, 'wrong'), ...d]);
    expect(wrong.code).toBe(1);
    expectOneErrorLine(wrong, /^error: That password is not correct\./);
    expect((await run(['unlock', ...d], { env })).out).toBe(`Unlocked: ${FAKE_SELF}`);

    const ex = await run(['export-keystore', '--out', 'key.json', ...d], { env });
    expect(ex.code).toBe(0);
    expect(readFileSync(join(dir, 'key.json'), 'utf8')).toBe('{"version":3}\n');
    expect(statSync(join(dir, 'key.json')).mode & 0o777).toBe(0o600);
    const again = await run(['export-keystore', '--out', 'key.json', ...d], { env });
    expect(again.code).toBe(2);
    expectOneErrorLine(again, /already exists/);

    const second = await run(['serve', ...d]);
    expect(second.code).toBe(1);
    expectOneErrorLine(second, /^error: This profile is already open in another BitUnicom process\./);

    expect(await s.stop()).toBe(0);
    expect(existsSync(daemonFilePath(dir))).toBe(false);
    expect(s.node.closed).toBe(true);
    expect((await run(['status', ...d])).code).toBe(1);
  });

  it('starts locked without a password, prints JSON with --json, and applies --name once unlocked', async () => {
    const s = await serve(['--json', '--name', 'Zed']);
    const line = JSON.parse(s.out[0]!);
    expect(line).toMatchObject({ phase: 'locked', address: FAKE_SELF, dataDir: dir, listen: { host: '0.0.0.0', port: 40404 } });
    expect(line.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(s.node.calls.map((c) => c.method)).not.toContain('account.unlock');
    const u = await run(['unlock', '--data', dir, '--json'], { env: { BITUNICOM_PASSWORD: PASSWORD } });
    expect(JSON.parse(u.out)).toMatchObject({ phase: 'unlocked' });
    for (let i = 0; i < 100 && !s.node.calls.some((c) => c.method === 'profile.setName'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.node.calls.find((c) => c.method === 'profile.setName')?.input).toEqual({ name: 'Zed' });
    expect(await s.stop()).toBe(0);
  });

  it('refuses to start with a wrong password and leaves no daemon.json', async () => {
    const r = await run(['serve', '--data', dir], { env: { BITUNICOM_PASSWORD: 'wrong password' } });
    expect(r.code).toBe(1);
    expectOneErrorLine(r, /^error: That password is not correct\./);
    expect(existsSync(daemonFilePath(dir))).toBe(false);
    expect(r.nodes[0]!.closed).toBe(true);
  });

  it('init goes through the running node when there is one', async () => {
    const s = await serve([], { phase: 'no-account' });
    const r = await run(['init', '--data', dir], { env: { BITUNICOM_PASSWORD: PASSWORD } });
    expect(r.code).toBe(0);
    expect(r.out).toContain('(through the running node)');
    expect(r.nodes).toHaveLength(0); // no local node was opened
    expect(s.node.calls.find((c) => c.method === 'account.create')?.input).toEqual({ mnemonic: MNEMONIC, password: PASSWORD, name: 'Me' });
    expect(await s.stop()).toBe(0);
  });
});
