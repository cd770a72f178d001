/**
 * @module renderer/features/status/NodeStatusView
 * The node's peer-to-peer picture for the Node screen: where it listens, NAT, routers, DHT,
 * how each friend is reached (direct, hole-punched, relayed) with round-trip time, the outbox.
 */
import { useEffect, useState } from 'react';
import type { NodeStatusT, PeerLinkT } from '../../../src-preload/contract';
import { errorText } from '../../lib/errors';
import { formatAgo, formatDuration, shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { refreshNodeStatus, useNodeStore } from './node-store';

const LINK_LABEL: Record<PeerLinkT['link'], string> = {
  direct: 'Direct',
  punched: 'Direct (hole punched)',
  relayed: 'Relayed',
  none: 'Not connected',
};

const NAT_LABEL: Record<NodeStatusT['nat']['type'], string> = {
  unknown: 'Not determined yet',
  open: 'None (public address)',
  cone: 'Cone (hole punching works)',
  symmetric: 'Symmetric (relay may be needed)',
};

/** The traversal step that failed, in plain words (the technical detail is the tooltip). */
function reasonText(reason: string): string {
  const [step, ...rest] = reason.split(': ');
  const detail = rest.join(': ');
  if ((step === 'punch' || step === 'upgrade') && detail.startsWith('introduced')) {
    return 'A strict NAT on the way blocks a direct path. Trying again now and then.';
  }
  if (step === 'punch' || step === 'upgrade') return 'No router could introduce you for a direct path.';
  if (step === 'relay' && detail.startsWith('the friend opened')) return 'Your friend could not reach you directly. Trying a direct path now and then.';
  if (step === 'relay') return 'No router could relay the connection.';
  return 'Not reachable right now.';
}

/** The encrypted contact list kept at our routers, in words. */
function rosterText(r: NodeStatusT['roster']): string {
  if (!r) return 'Not available';
  if (r.restoring && r.version === 0) return 'Looking for a backup of your contacts at your routers…';
  const restored = r.restoredAt ? `Restored ${r.contacts} contact${r.contacts === 1 ? '' : 's'} ${formatAgo(r.restoredAt)}. ` : '';
  if (r.version === 0) return `${restored}No backup yet (made after your first contact).`;
  const held = r.routers === 0 ? 'waiting for a router' : `held by ${r.routers} router${r.routers === 1 ? '' : 's'}`;
  return `${restored}Encrypted backup ${held}${r.uploadedAt ? `, updated ${formatAgo(r.uploadedAt)}` : ''}.`;
}

function PeerRow({ peer }: { peer: PeerLinkT }) {
  return (
    <li className="peer-row" data-testid={`peer-${peer.address}`}>
      <Avatar name={peer.name} address={peer.address} size="sm" online={peer.link !== 'none'} />
      <div className="peer-main">
        <div className="peer-name">{peer.name || shortAddress(peer.address)}</div>
        <div className="peer-meta">
          {peer.link === 'relayed' ? 'Through a router (end-to-end encrypted)' : peer.endpoint ? `${peer.endpoint.host}:${peer.endpoint.port}` : 'No known endpoint'}
          {peer.link === 'none' && peer.lastSeenAt ? ` · seen ${formatAgo(peer.lastSeenAt)}` : ''}
        </div>
        {peer.reason ? (
          <div className="peer-reason" title={peer.reason}>
            {reasonText(peer.reason)}
          </div>
        ) : null}
      </div>
      <div className="peer-link">
        <span className={`link-badge link-${peer.link}`}>{LINK_LABEL[peer.link]}</span>
        <span className="peer-rtt">{peer.rttMs !== null ? `${Math.round(peer.rttMs)} ms` : '—'}</span>
      </div>
    </li>
  );
}

export function NodeStatusView() {
  const status = useNodeStore((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    setBusy(true);
    try {
      await refreshNodeStatus();
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    refreshNodeStatus().catch((e: unknown) => setError(errorText(e)));
  }, []);

  if (!status) {
    return (
      <div className="node-status" data-testid="node-status">
        {error ? (
          <p className="form-error">{error}</p>
        ) : (
          <p className="muted">
            <Spinner size={14} /> Loading node status…
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="node-status" data-testid="node-status">
      <dl className="kv">
        <dt>Listening on</dt>
        <dd data-testid="node-listen">{status.listen ? `${status.listen.host}:${status.listen.port}` : 'Not listening'}</dd>
        <dt>NAT</dt>
        <dd data-testid="node-nat">
          {NAT_LABEL[status.nat.type]}
          {status.nat.mapped ? ` · seen as ${status.nat.mapped.host}:${status.nat.mapped.port}` : ''}
        </dd>
        <dt>Routers</dt>
        <dd data-testid="node-routers">
          {status.routers.length === 0
            ? 'None'
            : status.routers.map((r) => `${r.endpoint.host}:${r.endpoint.port}${r.rttMs === null ? '' : ` (${Math.round(r.rttMs)} ms)`}`).join(', ')}
        </dd>
        <dt>DHT</dt>
        <dd data-testid="node-dht">{status.dhtNodes === 0 ? 'Not joined' : `${status.dhtNodes} node${status.dhtNodes === 1 ? '' : 's'} known`}</dd>
        <dt>Uptime</dt>
        <dd>{formatDuration(status.uptimeMs)}</dd>
        <dt>Contacts backup</dt>
        <dd data-testid="node-roster">{rosterText(status.roster)}</dd>
        <dt>Messages waiting to send</dt>
        <dd data-testid="node-outbox">{status.outboxPending === 0 ? 'None' : status.outboxPending}</dd>
      </dl>
      <div className="section-subhead">
        <h4>Friends</h4>
        <Button size="sm" variant="ghost" onClick={refresh} busy={busy}>
          Refresh
        </Button>
      </div>
      {error && <p className="form-error">{error}</p>}
      {status.peers.length === 0 ? (
        <p className="muted">No friends to reach yet. They appear here once the node has tried to reach them.</p>
      ) : (
        <ul className="peer-list">
          {status.peers.map((p) => (
            <PeerRow key={p.address} peer={p} />
          ))}
        </ul>
      )}
    </div>
  );
}
