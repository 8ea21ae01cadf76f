// Makes `@chainsafe/blst` (the native addon) unresolvable, so
// @chainsafe/bls, and with it @lodestar/light-client, falls back to its herumi
// wasm backend: a wasm-to-wasm comparison. Used as `node --import`.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === '@chainsafe/blst') throw new Error('native blst disabled for the benchmark');
  return next(specifier, context);
}`));
