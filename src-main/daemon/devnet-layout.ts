/**
 * @module daemon/devnet-layout
 * The files of a local multi-process POE devnet (`bitunicom devnet`, devnet-cluster.ts):
 *
 *   DIR/devnet.json        layout: counts, the primaries' fixed UDP ports (so a restarted
 *                          primary is found where it was), the funded wallet's key
 *   DIR/genesis.json       the genesis registering every key below in PoeStaking
 *                          (chain/devnet.ts materializeDevnet, minimum stakes)
 *   DIR/nodes/p<i>/        one directory per primary process   (bitunicom node --role primary)
 *   DIR/nodes/s<j>/        one per sealer process, several keys (bitunicom node --role sealer)
 *                          each with node-keys.json, genesis.json, chain.db
 *   DIR/logs/<id>.log      each child's stdout and stderr
 *
 * Created once; running again with the same DIR resumes (keys, ledgers kept).
 */
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuError } from '../core/base';
import { findResourcesDir } from './resources';

export const LAYOUT_FILE = 'devnet.json';

export type MemberSpec = { id: string; role: 'primary' | 'sealer'; keys: number; addresses: string[]; dir: string; port: number };

export type DevnetLayout = {
  version: 1;
  primaries: number;
  sealers: number;
  sealerProcesses: number;
  chainId: number;
  primaryPorts: number[];
  wallet: { address: string; privateKey: string };
  members: { id: string; role: 'primary' | 'sealer'; addresses: string[] }[];
};

export type LayoutRequest = { primaries?: number; sealers?: number; sealerProcesses?: number; blockTimeSec?: number };

/** Sealer keys spread over processes: [8,8,8,8] for 32 in 4. */
export function spread(total: number, groups: number): number[] {
  const g = Math.max(1, Math.min(groups, total));
  return Array.from({ length: total === 0 ? 0 : g }, (_, i) => Math.floor(total / g) + (i < total % g ? 1 : 0));
}

export function defaultSealerProcesses(sealers: number): number {
  return Math.min(sealers, Math.max(1, Math.ceil(sealers / 8)));
}

export function memberSpecs(dir: string, l: DevnetLayout): MemberSpec[] {
  return l.members.map((m) => ({
    id: m.id,
    role: m.role,
    keys: m.addresses.length,
    addresses: m.addresses,
    dir: join(dir, 'nodes', m.id),
    port: m.role === 'primary' ? l.primaryPorts[Number(m.id.slice(1))]! : 0,
  }));
}

/** Free UDP ports on loopback (bound and released; the children bind them right after). */
async function freeUdpPorts(n: number): Promise<number[]> {
  const socks = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:dgram').Socket>((res, rej) => {
      const s = createSocket('udp4');
      s.once('error', rej);
      s.bind(0, '127.0.0.1', () => res(s));
    })),
  );
  const ports = socks.map((s) => s.address().port);
  await Promise.all(socks.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

function writeJson(file: string, v: unknown, mode = 0o600): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(v, null, 2), { mode });
  renameSync(`${file}.tmp`, file);
}

/** Loads DIR's layout (checking it against what was asked), or creates keys, genesis and layout. */
export async function prepareLayout(dir: string, req: LayoutRequest): Promise<{ layout: DevnetLayout; created: boolean }> {
  const file = join(dir, LAYOUT_FILE);
  if (existsSync(file)) {
    const layout = JSON.parse(readFileSync(file, 'utf8')) as DevnetLayout;
    for (const k of ['primaries', 'sealers', 'sealerProcesses'] as const) {
      if (req[k] !== undefined && req[k] !== layout[k]) {
        throw new BuError('BAD_INPUT', `${dir} holds a devnet with ${layout.primaries} primaries and ${layout.sealers} sealers in ${layout.sealerProcesses} processes; --${k === 'sealerProcesses' ? 'sealer-processes' : k} ${req[k]} differs (drop it, or use another --data DIR).`);
      }
    }
    return { layout, created: false };
  }
  const primaries = req.primaries ?? 4;
  const sealers = req.sealers ?? 8;
  const sealerProcesses = sealers === 0 ? 0 : (req.sealerProcesses ?? defaultSealerProcesses(sealers));
  const resources = findResourcesDir();
  if (!resources) throw new BuError('INTERNAL', 'The devnet template (resources/chain/devnet-genesis.json) was not found.');
  const seal = await import('../core/seal');
  const chain = await import('../core/chain');
  const template = JSON.parse(readFileSync(join(resources, 'chain', 'devnet-genesis.json'), 'utf8')) as { bitunicom: { blockIntervalSec: number } };
  if (req.blockTimeSec !== undefined) template.bitunicom.blockIntervalSec = req.blockTimeSec;
  const sp = chain.stakingParams(template);
  if (!sp) throw new BuError('INTERNAL', 'The devnet template has no POE section.');
  mkdirSync(join(dir, 'logs'), { recursive: true, mode: 0o700 });
  const members: DevnetLayout['members'] = [];
  const set = { primaries: [] as { address: string; publicKey: Uint8Array; stake: bigint }[], sealers: [] as { address: string; publicKey: Uint8Array; stake: bigint }[] };
  const make = (id: string, role: 'primary' | 'sealer', n: number) => {
    const keys = Array.from({ length: n }, () => seal.randomPoeKey());
    const nodeDir = join(dir, 'nodes', id);
    mkdirSync(nodeDir, { recursive: true, mode: 0o700 });
    seal.saveDevnetValidators(join(nodeDir, 'node-keys.json'), role === 'primary' ? { primaries: keys, sealers: [] } : { primaries: [], sealers: keys });
    for (const k of keys) (role === 'primary' ? set.primaries : set.sealers).push({ address: k.address, publicKey: k.blsPublic, stake: role === 'primary' ? sp.minPrimaryStake : sp.minSealerStake });
    members.push({ id, role, addresses: keys.map((k) => k.address) });
  };
  for (let i = 0; i < primaries; i++) make(`p${i}`, 'primary', 1);
  spread(sealers, sealerProcesses).forEach((n, j) => make(`s${j}`, 'sealer', n));
  const wallet = seal.randomPoeKey();
  const genesis = await chain.materializeDevnet(JSON.stringify(template), wallet.address, (n) => chain.loadArtifact(resources, n), Date.now(), { poe: set });
  writeJson(join(dir, 'genesis.json'), genesis, 0o644);
  const layout: DevnetLayout = {
    version: 1,
    primaries,
    sealers,
    sealerProcesses,
    chainId: Number((genesis.config as { chainId?: number }).chainId ?? 0),
    primaryPorts: await freeUdpPorts(primaries),
    wallet: { address: wallet.address, privateKey: `0x${Buffer.from(wallet.ethPrivateKey!).toString('hex')}` },
    members,
  };
  writeJson(file, layout);
  return { layout, created: true };
}
