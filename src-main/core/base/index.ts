export * from './errors';
export * from './bytes';
export * from './events';
export * from './logger';
export * from './wait';
export * from './units';
export * from './payload-tags';
export * from './prng';
