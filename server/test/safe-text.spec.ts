import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UpdateStationDto, StationInputDto } from '../src/modules/stations/dto/stations.dto';
import { CreateCampaignDto } from '../src/modules/vouchers/dto/vouchers.dto';
import { safeTextOptionsOf, unsafeTextErrors } from '../src/common/safe-text';

/** The walk the global validation pipe runs over every validated value, and the decorator's own check. */
describe('safe text', () => {
  it('reads @SafeText options, also through mapped types (PartialType)', () => {
    expect(safeTextOptionsOf(StationInputDto, 'description')).toMatchObject({ maxLength: 500, multiline: true });
    expect(safeTextOptionsOf(UpdateStationDto, 'description')).toMatchObject({ maxLength: 500, multiline: true });
    expect(safeTextOptionsOf(UpdateStationDto, 'name')).toMatchObject({ maxLength: 100 });
    expect(safeTextOptionsOf(UpdateStationDto, 'name')?.multiline).toBeFalsy();
    expect(safeTextOptionsOf(UpdateStationDto, 'lat')).toBeUndefined();
  });

  it('walks nested objects, arrays and keys, multi-line only where the property allows it', () => {
    const dto = plainToInstance(UpdateStationDto, { name: '驿站', description: '第一行\n第二行', hours: { weekly: { mon: ['08:00-20:00\u202e'] }, ['x\u0000']: 1 } });
    expect(unsafeTextErrors(dto).map((e) => e.field)).toEqual(['hours.weekly.mon.0', 'hours.x\u0000']);
    expect(unsafeTextErrors(plainToInstance(UpdateStationDto, { name: '驿\n站' })).map((e) => e.field)).toEqual(['name']);
    expect(unsafeTextErrors('abc\u202e', 'code')).toEqual([{ field: 'code', message: expect.stringContaining('控制') }]);
    expect(unsafeTextErrors({ n: 1, b: true, d: new Date(), s: null })).toEqual([]);
  });

  it('counts code points in the decorator (❤️ is two, 𠀀 is one)', async () => {
    const base = { name: '消费季', budgetFen: 1, types: [], perMemberLimit: 1, claimStartAt: '2026-01-01T00:00:00Z', claimEndAt: '2026-01-02T00:00:00Z', validityKind: 'relative', merchantScope: 'all' };
    const fields = async (over: object) => (await validate(plainToInstance(CreateCampaignDto, { ...base, ...over }))).map((e) => e.property);
    expect(await fields({ description: '𠀀'.repeat(2000) })).not.toContain('description');
    expect(await fields({ description: '❤️'.repeat(1001) })).toContain('description');
    expect(await fields({ description: '第一行\r\n第二行' })).not.toContain('description');
    expect(await fields({ name: '消费\u202e季' })).toContain('name');
  });
});
