/**
 * @module seal
 * POE consensus (issue 9): see the module's README. This index is what higher layers (node)
 * may import.
 */
export * from './sealing';
