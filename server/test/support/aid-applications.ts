import { newIdNumber, newMobile } from './app';
import { newName, WM } from './aid';

/** A valid aid application body (to 黄石市网约配送员工会联合会); override any field. */
export function applicationBody(over: Record<string, unknown> = {}) {
  return {
    orgCode: WM, name: newName(), idNumber: newIdNumber(), mobile: newMobile(), employer: '某某配送站', province: '湖北省', city: '黄石市',
    district: '黄石港区', street: '胜阳港街道', addressDetail: '某小区3栋2单元', employmentStatus: 'flexible', householdSize: 3,
    monthlyIncomeFen: 180_000, illMembers: 1, disabledMembers: 0, causes: ['illness'], helpKinds: ['medical', 'living'], needs: ['job'],
    account: '爱人患病住院，医疗费用负担重，孩子上学。', consent: true, ...over,
  };
}

/** Smallest files each type check recognises (magic bytes + padding). */
export const FILES = {
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), Buffer.alloc(200, 1)]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 2)]),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  gif: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(100, 3)]),
};
