/**
 * @module renderer/features/node/stake-actions
 * The user's sealer registration on the bridge (`sealing.stakeInfo`, `sealing.stake`; see
 * src-preload/contract/sealing.ts): the latest StakeInfo, read again on every new block and
 * while a transaction of ours is pending, until its effect shows in the registration (then a
 * success toast) or PENDING_BLOCKS blocks pass without it (then a sentence in `failed`).
 * Refreshes never overlap: one asked for while another runs is done right after it.
 */
import { create } from 'zustand';
import type { StakeInfoT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { errorText } from '../../lib/errors';
import { toast } from '../../ui/toast-store';
import { PENDING_BLOCKS, doneText, pendingOutcome, type StakeAction } from './stake-format';

export type PendingStake = { action: StakeAction; txHash: string; sentAtHead: string };

type StakeStore = {
  info: StakeInfoT | null;
  /** Why the registration could not be read (a sentence), or null. */
  loadError: string | null;
  pending: PendingStake | null;
  /** The last transaction was sent but its effect never showed (a sentence), or null. */
  failed: string | null;
};

const EMPTY: StakeStore = { info: null, loadError: null, pending: null, failed: null };

export const useStakeStore = create<StakeStore>()(() => ({ ...EMPTY }));

/** Forget everything (another account, or tests). */
export function resetStake(): void {
  useStakeStore.setState({ ...EMPTY });
}

function settle(info: StakeInfoT): void {
  const { pending } = useStakeStore.getState();
  const outcome = pending ? pendingOutcome(pending, info) : 'waiting';
  if (!pending || outcome === 'waiting') {
    useStakeStore.setState({ info, loadError: null });
  } else if (outcome === 'done') {
    useStakeStore.setState({ info, loadError: null, pending: null, failed: null });
    toast.success(doneText(pending.action, info));
  } else {
    useStakeStore.setState({
      info,
      loadError: null,
      pending: null,
      failed: `The transaction was sent, but ${PENDING_BLOCKS} blocks later your registration has not changed. Check that your wallet has enough tokens and try again.`,
    });
  }
}

let running: Promise<void> | null = null;
let again = false;

/** Reads the registration again (coalesced with one already running). */
export function refreshStake(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      try {
        settle(await call('sealing.stakeInfo', {}));
      } catch (e) {
        useStakeStore.setState({ loadError: errorText(e) });
      }
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

/**
 * Sends the action's transaction (register locks `stakeWei`). Resolves once the node has
 * signed it and put it in its pool; rejects with the bridge's UiError (nothing is pending then).
 */
export async function sendStake(action: StakeAction, stakeWei?: bigint): Promise<PendingStake> {
  const before = useStakeStore.getState().info;
  const input = action === 'register' && stakeWei !== undefined ? { action, stakeWei: stakeWei.toString() } : { action };
  const { txHash } = await call('sealing.stake', input);
  const pending: PendingStake = { action, txHash, sentAtHead: before?.head ?? '0' };
  useStakeStore.setState({ pending, failed: null });
  await refreshStake();
  return pending;
}
