/**
 * @module net
 * UDP transport primitives: the shared socket, per-key token-bucket rate limiting, endpoints.
 */
export { type Endpoint, endpointKey, parseEndpoint, sameEndpoint, isValidHost, isValidPort } from './endpoint';
export { RateLimiter } from './rate-limiter';
export { UdpSocket, datagramLength, type Datagram, type PacketListener, type DatagramSocket, type UdpSocketStats, SOCKET_BUFFER_BYTES, MAX_DATAGRAM } from './udp-socket';
