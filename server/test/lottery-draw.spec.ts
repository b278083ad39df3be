import { drawWinners, rankEntries, uniformNumerator } from '../src/modules/vouchers/lottery.draw';

/** The draw algorithm es-sha256-v1 as a pure function (the e2e test checks it against scripts/verify-lottery.mjs). */
describe('lottery draw (es-sha256-v1)', () => {
  const entries = (n: number, weight = 1) => Array.from({ length: n }, (_, i) => ({ id: i.toString(16).padStart(16, '0'), weight }));

  it('is deterministic in (seed, list) and does not depend on the order the list is given in', () => {
    const list = entries(20);
    const a = drawWinners('seed-1', list, [{ voucherTypeId: 1, quantity: 5 }]);
    expect(drawWinners('seed-1', [...list].reverse(), [{ voucherTypeId: 1, quantity: 5 }])).toEqual(a);
    expect(drawWinners('seed-2', list, [{ voucherTypeId: 1, quantity: 5 }])).not.toEqual(a);
  });

  it('uses u = (2n+1)/2^65 from the first 8 bytes of SHA-256(seed:id)', () => {
    // SHA-256("s:a") starts d4315d83a95dfaeb (`printf 's:a' | sha256sum`)
    expect(uniformNumerator('s', 'a')).toBe(2n * 0xd4315d83a95dfaebn + 1n);
  });

  it('allocates the stock type by type in order, one voucher per winner, never more than the stock', () => {
    const w = drawWinners('x', entries(10), [{ voucherTypeId: 7, quantity: 2 }, { voucherTypeId: 3, quantity: 3 }]);
    expect(w.map((x) => x.voucherTypeId)).toEqual([7, 7, 3, 3, 3]);
    expect(new Set(w.map((x) => x.id)).size).toBe(5);
    expect(w.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(drawWinners('x', entries(2), [{ voucherTypeId: 1, quantity: 5 }])).toHaveLength(2);
    expect(drawWinners('x', [], [{ voucherTypeId: 1, quantity: 5 }])).toEqual([]);
  });

  it('weights act as Efraimidis–Spirakis weights: weight 2 among two of weight 1 is drawn first about half the time', () => {
    const list = [{ id: 'heavy', weight: 2 }, { id: 'light-a', weight: 1 }, { id: 'light-b', weight: 1 }];
    let first = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) if (rankEntries(`seed-${i}`, list)[0].id === 'heavy') first++;
    // P = 2 / (2 + 1 + 1) = 0.5; fixed seeds, so this is not flaky
    expect(first / runs).toBeGreaterThan(0.46);
    expect(first / runs).toBeLessThan(0.54);
  });

  it('equal weights reduce to sorting by the hash', () => {
    const list = entries(30);
    const byHash = [...list].sort((a, b) => (uniformNumerator('h', b.id) > uniformNumerator('h', a.id) ? 1 : -1)).map((e) => e.id);
    expect(rankEntries('h', list).map((e) => e.id)).toEqual(byHash);
  });
});
