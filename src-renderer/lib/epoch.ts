/**
 * @module renderer/lib/epoch
 * A counter bumped whenever the account's data is dropped (lock, phase change). Async
 * loads capture it before calling the node and discard their result if it changed, so a
 * slow reply can never repopulate the stores after the user locked the app.
 */
let epoch = 0;

export function currentEpoch(): number {
  return epoch;
}

export function bumpEpoch(): number {
  epoch += 1;
  return epoch;
}
