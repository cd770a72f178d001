/**
 * @module seal
 * POE consensus (issue 9): see the module's README. This index is what higher layers (node)
 * may import.
 */
export * from './sealing';
export { PoeEngine, inlineSealing, type SealingPort, type EngineOptions, type EngineEvents } from './engine';
export { poeProducer, type PoeProducer, type PoeProducerOptions } from './poe-producer';
export { poeParams, minSealsFor, DEFAULT_TIMEOUTS, type PoeParams } from './params';
export { randomPoeKey, loadDevnetValidators, saveDevnetValidators, type DevnetValidators } from './keys';
export { MemoryHub, type PoeTransport, type PeerSummary } from './transport';
export { Sealer, type SealJob, type SealerKey } from './sealer';
export { decodeCertificate, decodeBody, encodeMessage, decodeMessage, MsgType, type Certificate, type PoeBody } from './codec';
export { BODY_AUX, CERT_AUX } from './proposer';
export type { PoeKey, Validator, ValidatorSet } from './types';
export { startPoeNode, type PoeNode, type PoeNodeOptions } from './poe-node';
export { EvidenceReporter, type Report as EvidenceReport } from './evidence';
