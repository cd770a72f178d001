import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge, StakeInfoT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { errorText } from '../../lib/errors';
import { useToastStore } from '../../ui/toast-store';
import { refreshStake, resetStake, sendStake, useStakeStore } from './stake-actions';
import { PENDING_BLOCKS } from './stake-format';

const TOKEN = 10n ** 18n;
const MIN = (100n * TOKEN).toString();

/** A chain with a staking contract in one account's view: the node's answers, block by block. */
function fakeChain() {
  let head = 10;
  let info: StakeInfoT = { status: 'active', stakeWei: MIN, minStakeWei: MIN, withdrawableAt: null, head: '10', unbondingBlocks: 64 };
  const sent: { action: string; stakeWei?: string }[] = [];
  let queued: (() => void) | null = null;
  let infoCalls = 0;
  let slowInfo: Promise<void> | null = null;
  const bridge: Bridge = {
    media: { send: () => {}, on: () => () => {} },
    invoke: (async (method: string, input: { action: 'register' | 'exit' | 'withdraw'; stakeWei?: string }) => {
      if (method === 'sealing.stakeInfo') {
        infoCalls++;
        if (slowInfo) await slowInfo;
        return { ...info, head: String(head) };
      }
      if (method === 'sealing.stake') {
        if (input.action === 'register' && input.stakeWei !== undefined && BigInt(input.stakeWei) > 10_000n * TOKEN) {
          throw new BridgeError('BAD_INPUT', 'Not enough tokens for the stake and the transaction fee.');
        }
        sent.push(input);
        // the effect shows once the next block is made
        queued = () => {
          if (input.action === 'exit') info = { ...info, status: 'exiting', withdrawableAt: String(head + 64) };
          if (input.action === 'withdraw') info = { ...info, status: 'none', stakeWei: '0', withdrawableAt: null };
          if (input.action === 'register') info = { ...info, status: 'active', stakeWei: input.stakeWei ?? MIN };
        };
        return { txHash: `0x${'cd'.repeat(32)}` };
      }
      throw new BridgeError('UNKNOWN_METHOD', method);
    }) as Bridge['invoke'],
    on: (() => () => {}) as Bridge['on'],
  };
  installBridge({ kind: 'test', bridge, onConnection: () => () => {} });
  return {
    sent,
    get infoCalls() {
      return infoCalls;
    },
    /** Make a block: a queued transaction (if `include`) takes effect. */
    block(include = true) {
      head++;
      if (include && queued) {
        queued();
        queued = null;
      }
    },
    holdInfo() {
      let release = () => {};
      slowInfo = new Promise<void>((r) => (release = r));
      return () => {
        slowInfo = null;
        release();
      };
    },
  };
}

afterEach(() => {
  installBridge(null);
  resetStake();
  useToastStore.setState({ toasts: [] });
});

describe('stake actions', () => {
  it('stops sealing: pending until the block shows the effect, then a toast; withdraws later', async () => {
    const chain = fakeChain();
    await refreshStake();
    expect(useStakeStore.getState().info).toMatchObject({ status: 'active', head: '10' });
    const pending = await sendStake('exit');
    expect(pending).toEqual({ action: 'exit', txHash: `0x${'cd'.repeat(32)}`, sentAtHead: '10' });
    expect(chain.sent).toEqual([{ action: 'exit' }]);
    expect(useStakeStore.getState().pending).toEqual(pending);
    expect(useStakeStore.getState().info?.status).toBe('active');
    chain.block();
    await refreshStake();
    expect(useStakeStore.getState()).toMatchObject({ pending: null, failed: null, info: { status: 'exiting', withdrawableAt: '75', head: '11' } });
    expect(useToastStore.getState().toasts.map((t) => [t.kind, t.text])).toEqual([['success', 'You stopped sealing. The stake can be withdrawn from block 75.']]);

    await sendStake('withdraw');
    chain.block();
    await refreshStake();
    expect(useStakeStore.getState()).toMatchObject({ pending: null, info: { status: 'none', stakeWei: '0' } });
    expect(useToastStore.getState().toasts.at(-1)?.text).toBe('Your stake is back in your wallet.');
  });

  it('registers with the chosen stake in wei; a refused transaction leaves nothing pending', async () => {
    const chain = fakeChain();
    await sendStake('exit');
    chain.block();
    await sendStake('withdraw');
    chain.block();
    await refreshStake();
    const refused = await sendStake('register', 20_000n * TOKEN).then(() => null, (e: unknown) => e);
    // the dialog shows this sentence: the code's, then the node's detail
    expect(errorText(refused)).toBe('Some of the information entered is not valid. Not enough tokens for the stake and the transaction fee.');
    expect(useStakeStore.getState().pending).toBeNull();
    await sendStake('register', 150n * TOKEN);
    expect(chain.sent.at(-1)).toEqual({ action: 'register', stakeWei: (150n * TOKEN).toString() });
    chain.block();
    await refreshStake();
    expect(useStakeStore.getState()).toMatchObject({ pending: null, info: { status: 'active', stakeWei: (150n * TOKEN).toString() } });
  });

  it('gives up on a transaction whose effect does not show within PENDING_BLOCKS blocks', async () => {
    const chain = fakeChain();
    await refreshStake();
    await sendStake('exit');
    for (let i = 0; i < PENDING_BLOCKS - 1; i++) {
      chain.block(false);
      await refreshStake();
    }
    expect(useStakeStore.getState().pending).not.toBeNull();
    chain.block(false);
    await refreshStake();
    expect(useStakeStore.getState().pending).toBeNull();
    expect(useStakeStore.getState().failed).toMatch(/has not changed/);
  });

  it('coalesces refreshes: one asked for while another runs is done once, right after', async () => {
    const chain = fakeChain();
    const release = chain.holdInfo();
    const first = refreshStake();
    const second = refreshStake();
    const third = refreshStake();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(chain.infoCalls).toBe(2);
    expect(useStakeStore.getState().info?.head).toBe('10');
  });

  it('keeps the sentence when the registration cannot be read', async () => {
    installBridge({
      kind: 'test',
      bridge: { invoke: (async () => Promise.reject(new BridgeError('LOCKED', 'locked'))) as Bridge['invoke'], on: (() => () => {}) as Bridge['on'], media: { send: () => {}, on: () => () => {} } },
      onConnection: () => () => {},
    });
    await refreshStake();
    expect(useStakeStore.getState().loadError).toBe('Your account is locked. Unlock it with your password first.');
  });
});
