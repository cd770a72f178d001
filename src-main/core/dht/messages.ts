/**
 * @module dht/messages
 * Encoding and strictly bounded decoding of DHT datagrams (requests 0x20, responses 0x21).
 * Layout (README.md, "Wire format"): type ‖ version ‖ command ‖ flags ‖ tid(2) ‖ [id(32)] ‖ body.
 * Decoding rejects unknown versions/commands/flag bits, truncation, trailing bytes and
 * out-of-range counts with `DhtWireError` only.
 */
import type { Endpoint } from '../net';
import {
  CMD_FIND_NODE,
  CMD_GET,
  CMD_PING,
  CMD_PUT,
  DHT_REQUEST,
  DHT_RESPONSE,
  DHT_WIRE_VERSION,
  FLAG_EPHEMERAL,
  FLAG_ROUTER,
  ID_BYTES,
  KEY_BYTES,
  MAX_RECORD_BYTES,
  NODE_FLAG_ROUTER,
  TOKEN_BYTES,
} from './constants';
import { DhtWireError, Reader, Writer } from './wire';

export type NodeInfo = { id: Uint8Array; endpoint: Endpoint; router: boolean };

/** Most node infos one response may carry. */
export const MAX_WIRE_NODES = 32;
/** A PUT may carry a record up to this size on the wire, so an oversized one is refused with TOO_LARGE rather than dropped. */
export const MAX_WIRE_RECORD = 2048;
/** Datagrams above this are not DHT messages (bounded before any parsing). */
export const MAX_DHT_DATAGRAM = 4096;

type Header = { tid: number; id: Uint8Array | null; router: boolean };

export type DhtRequest = Header &
  (
    | { command: typeof CMD_PING }
    | { command: typeof CMD_FIND_NODE; target: Uint8Array }
    | { command: typeof CMD_GET; key: Uint8Array }
    | { command: typeof CMD_PUT; key: Uint8Array; token: Uint8Array; record: Uint8Array }
  );

export type DhtResponse = Header & { to: Endpoint } & (
    | { command: typeof CMD_PING }
    | { command: typeof CMD_FIND_NODE; token: Uint8Array; nodes: NodeInfo[] }
    | { command: typeof CMD_GET; token: Uint8Array; record: Uint8Array | null; nodes: NodeInfo[] }
    | { command: typeof CMD_PUT; status: number }
  );

export type DhtMessage = ({ kind: 'request' } & DhtRequest) | ({ kind: 'response' } & DhtResponse);

export function isDhtPacket(data: Uint8Array): boolean {
  return data.length > 0 && (data[0] === DHT_REQUEST || data[0] === DHT_RESPONSE);
}

function writeHeader(w: Writer, type: number, m: Header & { command: number }): void {
  const flags = (m.id ? 0 : FLAG_EPHEMERAL) | (m.router ? FLAG_ROUTER : 0);
  w.u8(type).u8(DHT_WIRE_VERSION).u8(m.command).u8(flags).u16(m.tid & 0xffff);
  if (m.id) {
    if (m.id.length !== ID_BYTES) throw new DhtWireError('id must be 32 bytes');
    w.bytes(m.id);
  }
}

function fixed(w: Writer, b: Uint8Array, n: number, what: string): void {
  if (b.length !== n) throw new DhtWireError(`${what} must be ${n} bytes`);
  w.bytes(b);
}

function writeNodes(w: Writer, nodes: NodeInfo[]): void {
  if (nodes.length > MAX_WIRE_NODES) throw new DhtWireError('too many nodes');
  w.u8(nodes.length);
  for (const n of nodes) {
    w.u8(n.router ? NODE_FLAG_ROUTER : 0);
    fixed(w, n.id, ID_BYTES, 'node id');
    w.endpoint(n.endpoint);
  }
}

function writeRecord(w: Writer, rec: Uint8Array | null, max: number): void {
  if (rec && (rec.length === 0 || rec.length > max)) throw new DhtWireError('record size out of range');
  w.u16(rec ? rec.length : 0);
  if (rec) w.bytes(rec);
}

export function encodeRequest(m: DhtRequest): Uint8Array {
  const w = new Writer(64);
  writeHeader(w, DHT_REQUEST, m);
  switch (m.command) {
    case CMD_PING:
      break;
    case CMD_FIND_NODE:
      fixed(w, m.target, ID_BYTES, 'target');
      break;
    case CMD_GET:
      fixed(w, m.key, KEY_BYTES, 'key');
      break;
    case CMD_PUT:
      fixed(w, m.key, KEY_BYTES, 'key');
      fixed(w, m.token, TOKEN_BYTES, 'token');
      writeRecord(w, m.record, MAX_WIRE_RECORD);
      break;
  }
  return w.finish();
}

export function encodeResponse(m: DhtResponse): Uint8Array {
  const w = new Writer(128);
  writeHeader(w, DHT_RESPONSE, m);
  w.endpoint(m.to);
  switch (m.command) {
    case CMD_PING:
      break;
    case CMD_FIND_NODE:
      fixed(w, m.token, TOKEN_BYTES, 'token');
      writeNodes(w, m.nodes);
      break;
    case CMD_GET:
      fixed(w, m.token, TOKEN_BYTES, 'token');
      writeRecord(w, m.record, MAX_RECORD_BYTES);
      writeNodes(w, m.nodes);
      break;
    case CMD_PUT:
      w.u8(m.status);
      break;
  }
  return w.finish();
}

function readNodes(r: Reader): NodeInfo[] {
  const count = r.u8('node count');
  if (count > MAX_WIRE_NODES) throw new DhtWireError(`too many nodes (${count})`);
  const nodes: NodeInfo[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.u8('node flags');
    if (flags & ~NODE_FLAG_ROUTER) throw new DhtWireError('unknown node flags');
    const id = r.bytes(ID_BYTES, 'node id');
    nodes.push({ id, endpoint: r.endpoint('node endpoint'), router: (flags & NODE_FLAG_ROUTER) !== 0 });
  }
  return nodes;
}

function readRecord(r: Reader, max: number, required: boolean): Uint8Array | null {
  const len = r.u16('record length');
  if (len === 0) {
    if (required) throw new DhtWireError('empty record');
    return null;
  }
  if (len > max) throw new DhtWireError(`record too large on the wire (${len})`);
  return r.bytes(len, 'record');
}

/** Decode any DHT datagram. Throws `DhtWireError` (and only that) on anything malformed. */
export function decodeMessage(data: Uint8Array): DhtMessage {
  if (!(data instanceof Uint8Array)) throw new DhtWireError('datagram must be bytes');
  if (data.length > MAX_DHT_DATAGRAM) throw new DhtWireError(`datagram too large (${data.length})`);
  const r = new Reader(data);
  const type = r.u8('type');
  if (type !== DHT_REQUEST && type !== DHT_RESPONSE) throw new DhtWireError(`not a DHT packet (0x${type.toString(16)})`);
  const version = r.u8('version');
  if (version !== DHT_WIRE_VERSION) throw new DhtWireError(`unsupported version ${version}`);
  const command = r.u8('command');
  if (command < CMD_PING || command > CMD_PUT) throw new DhtWireError(`unknown command ${command}`);
  const flags = r.u8('flags');
  if (flags & ~(FLAG_EPHEMERAL | FLAG_ROUTER)) throw new DhtWireError('unknown header flags');
  const tid = r.u16('tid');
  const id = flags & FLAG_EPHEMERAL ? null : r.bytes(ID_BYTES, 'id');
  const head = { tid, id, router: (flags & FLAG_ROUTER) !== 0 };
  let msg: DhtMessage;
  if (type === DHT_REQUEST) {
    switch (command) {
      case CMD_PING:
        msg = { kind: 'request', ...head, command };
        break;
      case CMD_FIND_NODE:
        msg = { kind: 'request', ...head, command, target: r.bytes(ID_BYTES, 'target') };
        break;
      case CMD_GET:
        msg = { kind: 'request', ...head, command, key: r.bytes(KEY_BYTES, 'key') };
        break;
      default: {
        const key = r.bytes(KEY_BYTES, 'key');
        const token = r.bytes(TOKEN_BYTES, 'token');
        msg = { kind: 'request', ...head, command: CMD_PUT, key, token, record: readRecord(r, MAX_WIRE_RECORD, true)! };
      }
    }
  } else {
    const to = r.endpoint('to');
    switch (command) {
      case CMD_PING:
        msg = { kind: 'response', ...head, to, command };
        break;
      case CMD_FIND_NODE: {
        const token = r.bytes(TOKEN_BYTES, 'token');
        msg = { kind: 'response', ...head, to, command, token, nodes: readNodes(r) };
        break;
      }
      case CMD_GET: {
        const token = r.bytes(TOKEN_BYTES, 'token');
        const record = readRecord(r, MAX_RECORD_BYTES, false);
        msg = { kind: 'response', ...head, to, command, token, record, nodes: readNodes(r) };
        break;
      }
      default:
        msg = { kind: 'response', ...head, to, command: CMD_PUT, status: r.u8('status') };
    }
  }
  r.end();
  return msg;
}
