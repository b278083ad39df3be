import { ageHours, ageLabel, isAcceptOverdue, validateHouseholdMembers } from './applications';

describe('aid application rules', () => {
  const at = new Date('2025-11-20T08:00:00Z');
  it('flags a submitted application overdue only after 24 hours', () => {
    expect(isAcceptOverdue('submitted', at, at.getTime() + 24 * 3600_000)).toBe(false);
    expect(isAcceptOverdue('submitted', at, at.getTime() + 24 * 3600_000 + 1)).toBe(true);
    expect(isAcceptOverdue('accepted', at, at.getTime() + 48 * 3600_000)).toBe(false);
  });
  it('counts whole hours of age and never a negative one', () => {
    for (const ms of [-5_000_000, -1, 0, 1, 3_599_999, 3_600_000, 86_399_999, 86_400_000, 9_999_999_999]) {
      expect(ageHours(at, at.getTime() + ms)).toBe(ms < 0 ? 0 : Math.floor(ms / 3600_000));
    }
    expect(ageLabel(0)).toBe('不到1小时');
    expect(ageLabel(5)).toBe('5小时');
    expect(ageLabel(24)).toBe('1天');
    expect(ageLabel(53)).toBe('2天5小时');
  });
  it('keeps ill and disabled members within the household', () => {
    expect(validateHouseholdMembers(3, 3, 0)).toBeNull();
    expect(validateHouseholdMembers(3, 4, 0)).toBe('患病人数不能超过家庭人口');
    expect(validateHouseholdMembers(2, 0, 3)).toBe('残疾人数不能超过家庭人口');
  });
});
