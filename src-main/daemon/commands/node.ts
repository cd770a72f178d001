/**
 * @module daemon/commands/node
 * `bitunicom node status [--json]`: the running node's status — account, peer-to-peer
 * network, UI link, and the chain (`RPC: http://127.0.0.1:PORT`, network, head, block time,
 * mempool, chain peers), the POE role and sync state, and the sealing worker (what it does
 * and why, CPU, seals made, rewards; daemon/format-sealing). The same command as `status`,
 * under the name the issue and the other `node`-level commands use; `--json` prints
 * `NodeStatus` with `rpcUrl` at the top.
 */
import type { CommandSpec } from '../args';
import { statusCommand } from './account';

export const nodeStatusCommand: CommandSpec = {
  ...statusCommand,
  name: 'node status',
  summary: 'Show the node and its chain: RPC URL, network, head block, block time, mempool, peers, sealing.',
  details: 'Same as `bitunicom status`. --json prints the node status (rpcUrl, chain, poe, sealing, peers, …) plus pid, ui, startedAt.',
};
