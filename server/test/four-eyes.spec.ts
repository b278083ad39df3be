import { assertApprovedVersion, assertFourEyes, assertSeenVersion, contentHash } from '../src/common/four-eyes';
import { DomainError } from '../src/common/domain-error';

/** The four-eyes rule on its own (the e2e spec test/security/four-eyes.e2e.spec.ts proves the flows call it). */
describe('four-eyes rule', () => {
  const thrown = (f: () => void): DomainError => {
    try {
      f();
    } catch (e) {
      return e as DomainError;
    }
    throw new Error('did not throw');
  };

  it('refuses an approver who is any maker, with 403 FOUR_EYES_REQUIRED and a Chinese message', () => {
    for (const makers of [[7], [1, 7], [1, null, 7], [7, 7]]) {
      const e = thrown(() => assertFourEyes('发放批次', 7, makers));
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'FOUR_EYES_REQUIRED', status: 403 });
      expect(e.message).toBe('发放批次须由创建人和修改人以外的另一名工作人员审批（四眼原则）');
    }
  });

  it('lets anyone else approve; null and undefined makers are ignored', () => {
    expect(() => assertFourEyes('发放批次', 7, [1, 2, null, undefined])).not.toThrow();
    expect(() => assertFourEyes('发放批次', 7, [])).not.toThrow();
  });

  it('refuses an approval of another version than the one seen, and paying a version that was not approved', () => {
    expect(() => assertSeenVersion('发放批次', 3, undefined)).not.toThrow();
    expect(() => assertSeenVersion('发放批次', 3, 3)).not.toThrow();
    expect(thrown(() => assertSeenVersion('发放批次', 3, 2))).toMatchObject({ code: 'APPROVAL_STALE', status: 409 });
    expect(() => assertApprovedVersion('发放批次', 2, 2)).not.toThrow();
    expect(thrown(() => assertApprovedVersion('发放批次', 3, 2))).toMatchObject({ code: 'VERSION_NOT_APPROVED', status: 409 });
    expect(thrown(() => assertApprovedVersion('发放批次', 1, null))).toMatchObject({ code: 'VERSION_NOT_APPROVED', status: 409 });
  });

  it('hashes content independently of line order and changes with any field, line added or removed', () => {
    const lines = [[1, 10, 'living', '2026-11', 50_000], [2, 11, 'living', '2026-11', 40_000]] as const;
    const h = contentHash(lines);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash([lines[1], lines[0]])).toBe(h);
    expect(contentHash([lines[0], [2, 11, 'living', '2026-11', 40_001]])).not.toBe(h);
    expect(contentHash([lines[0], [2, 12, 'living', '2026-11', 40_000]])).not.toBe(h);
    expect(contentHash([lines[0], [2, 11, 'medical', '2026-11', 40_000]])).not.toBe(h);
    expect(contentHash([lines[0]])).not.toBe(h);
    expect(contentHash([...lines, [3, 12, 'living', '2026-11', 0]])).not.toBe(h);
    // field boundaries are kept: ["1","23"] is not ["12","3"]
    expect(contentHash([['1', '23']])).not.toBe(contentHash([['12', '3']]));
  });
});
