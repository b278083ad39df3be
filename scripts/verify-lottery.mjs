#!/usr/bin/env node
/**
 * Recomputes a voucher lottery (摇号) from its published proof and checks it, with nothing but Node (≥ 18) —
 * no build, no code shared with the server.
 *
 *   node scripts/verify-lottery.mjs <proof.json | https://…/api/vouchers/campaigns/{id}/lottery/proof | ->
 *                                   [--commitment <hex published before registration closed>] [--id <your pseudonymous id>]
 *
 * Checks: SHA-256(seed) equals the proof's commitment (and the one you noted down earlier, with --commitment); the
 * registration list is sorted by id without duplicates and every weight is a positive integer; recomputing the draw
 * gives exactly the published winners, in order, with their voucher types, and never more than the stock.
 * Exit 0: everything matches. Exit 1: a mismatch (each is printed). Exit 2: unreadable input or unknown algorithm.
 *
 * Algorithm es-sha256-v1 (docs/vouchers.md, "Lottery"): for each registration, n = first 8 bytes (big-endian) of
 * SHA-256 of the UTF-8 text `seed + ":" + id`; u = (2n + 1) / 2^65. Rank by u^(1/weight), highest first
 * (Efraimidis–Spirakis weighted sampling without replacement), compared exactly: a before b when
 * (2n_a+1)^(w_b) · 2^(65·w_a) > (2n_b+1)^(w_a) · 2^(65·w_b); ties by id ascending. Walk the ranked list giving each
 * registration one voucher of the first type in `stock` order that has any left, until stock or list runs out.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ALGORITHM = 'es-sha256-v1';

function usage(message) {
  console.error(message);
  console.error('usage: node scripts/verify-lottery.mjs <proof.json | URL | -> [--commitment <hex>] [--id <pseudonymous id>]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { source: null, commitment: null, id: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--commitment') opts.commitment = argv[++i];
    else if (a === '--id') opts.id = argv[++i];
    else if (!opts.source) opts.source = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!opts.source) usage('no proof given');
  return opts;
}

async function readProof(source) {
  let text;
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) usage(`GET ${source}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch {
    return usage('the proof is not JSON');
  }
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest();

/** (2n + 1) with n = first 8 bytes of SHA-256(seed:id), as a BigInt. */
function numerator(seed, id) {
  const h = sha256(`${seed}:${id}`);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(h[i]);
  return 2n * n + 1n;
}

function recompute(seed, registrations, stock) {
  const keyed = registrations.map((r) => ({ id: r.id, m: numerator(seed, r.id), w: BigInt(r.weight) }));
  keyed.sort((a, b) => {
    const left = a.m ** b.w * 2n ** (65n * a.w);
    const right = b.m ** a.w * 2n ** (65n * b.w);
    if (left !== right) return left > right ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const left = stock.map((s) => ({ voucherTypeId: s.voucherTypeId, quantity: s.quantity }));
  const winners = [];
  for (const k of keyed) {
    const type = left.find((s) => s.quantity > 0);
    if (!type) break;
    type.quantity -= 1;
    winners.push({ id: k.id, voucherTypeId: type.voucherTypeId });
  }
  return { ranked: keyed.map((k) => k.id), winners };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const proof = await readProof(opts.source);
  const problems = [];
  if (!proof || typeof proof !== 'object') usage('the proof is not an object');
  if (proof.algorithm !== ALGORITHM) usage(`unknown algorithm ${JSON.stringify(proof.algorithm)} (this script checks ${ALGORITHM})`);
  if (typeof proof.seed !== 'string' || typeof proof.commitment !== 'string') usage('the proof lacks seed or commitment');
  if (!Array.isArray(proof.registrations) || !Array.isArray(proof.stock) || !Array.isArray(proof.winners)) usage('the proof lacks registrations, stock or winners');

  const seedHash = sha256(proof.seed).toString('hex');
  if (seedHash !== proof.commitment.toLowerCase()) problems.push(`SHA-256(seed) = ${seedHash} differs from the commitment ${proof.commitment}`);
  if (opts.commitment && opts.commitment.toLowerCase() !== seedHash) problems.push(`SHA-256(seed) = ${seedHash} differs from the commitment you gave, ${opts.commitment}`);

  const regs = proof.registrations;
  const structural = problems.length;
  for (let i = 0; i < regs.length; i++) {
    const r = regs[i];
    if (typeof r?.id !== 'string' || !Number.isInteger(r.weight) || r.weight < 1) problems.push(`registration #${i + 1} is malformed: ${JSON.stringify(r)}`);
    else if (i > 0 && !(regs[i - 1].id < r.id)) problems.push(`registrations are not sorted by id without duplicates at #${i + 1} (${regs[i - 1].id}, ${r.id})`);
  }
  for (const s of proof.stock) if (!Number.isInteger(s?.voucherTypeId) || !Number.isInteger(s?.quantity) || s.quantity < 0) problems.push(`stock entry malformed: ${JSON.stringify(s)}`);
  // A malformed list cannot be recomputed; a wrong commitment can, and its winners are reported too.
  if (problems.length > structural) return finish(problems, proof, null, opts);

  const { ranked, winners } = recompute(proof.seed, regs, proof.stock);
  const total = proof.stock.reduce((s, x) => s + x.quantity, 0);
  if (proof.winners.length > total) problems.push(`${proof.winners.length} winners published for a stock of ${total}`);
  if (proof.winners.length !== winners.length) problems.push(`${proof.winners.length} winners published, ${winners.length} recomputed`);
  const n = Math.max(winners.length, proof.winners.length);
  for (let i = 0; i < n; i++) {
    const p = proof.winners[i];
    const w = winners[i];
    if (!p || !w || p.id !== w.id || p.voucherTypeId !== w.voucherTypeId) {
      problems.push(`winner #${i + 1}: published ${p ? `${p.id} (type ${p.voucherTypeId})` : 'none'}, recomputed ${w ? `${w.id} (type ${w.voucherTypeId})` : 'none'}`);
      if (problems.length > 20) break;
    }
  }
  return finish(problems, proof, ranked, opts, winners);
}

function finish(problems, proof, ranked, opts, winners = []) {
  const summary = {
    campaignId: proof.campaignId, algorithm: proof.algorithm, commitment: proof.commitment, registrations: proof.registrations.length,
    stock: proof.stock, publishedWinners: proof.winners.length, recomputedWinners: winners.length, ok: problems.length === 0,
  };
  if (opts.id && ranked) {
    const rank = ranked.indexOf(opts.id);
    const won = winners.find((w) => w.id === opts.id);
    summary.you = rank < 0 ? { id: opts.id, registered: false } : { id: opts.id, rank: rank + 1, won: Boolean(won), voucherTypeId: won?.voucherTypeId ?? null };
  }
  if (problems.length) {
    console.error(`MISMATCH: the published lottery does not check out (${problems.length} problem${problems.length > 1 ? 's' : ''}):`);
    for (const p of problems) console.error(`  - ${p}`);
  } else {
    console.error(`OK: SHA-256(seed) equals the commitment and the ${winners.length} recomputed winners equal the published ones.`);
  }
  console.log(JSON.stringify(summary));
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(2);
});
