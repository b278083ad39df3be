import { AMENITIES, MAX_STATION_PHOTO_BYTES, shanghaiDate } from '@union/shared';
import { StationCheckInGuard } from '../src/modules/stations/entities';
import { startApp, TestApp } from './support/app';
import { auth, count, createStation, jpegOfSize, makeMember, PNG_1x1, stationInput, WM } from './support/stations';

/** Stations over HTTP on SQLite or MySQL (TEST_DB): management, scope, check-in, ratings, reports, photos, CSV. */
describe('stations over HTTP', () => {
  let t: TestApp;
  let staff: string; // 黄石市总工会
  let otherStaff: string; // 江西省总工会
  let keeper: string;
  let keeperId: number;

  beforeAll(async () => {
    t = await startApp();
    staff = await t.login('st-staff-hs', 'union_staff', 'HB-HS');
    otherStaff = await t.login('st-staff-jx', 'union_staff', 'JX');
    keeper = await t.login('st-keeper-1', 'station_keeper', 'HB-HS-HSG');
    keeperId = (await t.http().get('/api/me').set(auth(keeper))).body.id;
  });
  afterAll(() => t.close());

  it('creates a station with a door code, QR and public views; staff edit, the keeper runs it', async () => {
    const created = await t.http().post('/api/stations').set(auth(staff)).send(stationInput({ name: '黄石大道爱心驿站', keeperUserId: keeperId, closedDates: ['2030-01-02', '2030-01-01'] }));
    expect(created.status).toBe(201);
    const s = created.body;
    expect(s).toMatchObject({ name: '黄石大道爱心驿站', org: { code: WM }, amenities: ['rest', 'water', 'charging'], status: 'open', ratingAverage: null, ratingCount: 0,
      keeper: { userId: keeperId }, openReports: 0, closedDates: ['2030-01-01', '2030-01-02'] });
    expect(s.url).toBe(`${t.config.publicBaseUrl}/#/pages/stations/detail?s=${encodeURIComponent(s.code)}`);
    expect(typeof s.openState.open).toBe('boolean');

    const pub = await t.http().get(`/api/stations/${s.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body.code).toBeUndefined();
    expect(pub.body.keeper).toBeUndefined();
    const byCode = await t.http().get(`/api/stations/by-code/${encodeURIComponent(s.code)}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body.id).toBe(s.id);
    const tampered = s.code.slice(0, -2) + (s.code.endsWith('AA') ? 'BB' : 'AA');
    expect((await t.http().get(`/api/stations/by-code/${encodeURIComponent(tampered)}`)).body.code).toBe('STATION_CODE_INVALID');

    const qr = await t.http().get(`/api/stations/${s.id}/qr`).set(auth(staff));
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.body.subarray(0, 4).toString('hex')).toBe('89504e47');

    const edited = await t.http().patch(`/api/stations/${s.id}`).set(auth(staff)).send({ name: '黄石大道爱心驿站（新）', phone: '' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '黄石大道爱心驿站（新）', phone: null });

    const ops = await t.http().patch(`/api/stations/${s.id}/operations`).set(auth(keeper)).send({
      hours: { is24h: true, weekly: {} }, amenities: ['water', 'microwave'], status: 'temporarily_closed', closedNote: '水管维修', closedUntil: '2099-12-31',
    });
    expect(ops.status).toBe(200);
    expect(ops.body).toMatchObject({ hours: { is24h: true }, amenities: ['water', 'microwave'], status: 'temporarily_closed', closedNote: '水管维修',
      openState: { open: false, reason: 'temporarily_closed' } });
    // a keeper may not touch the name (route is staff-only) nor another station
    expect((await t.http().patch(`/api/stations/${s.id}`).set(auth(keeper)).send({ name: 'x' })).status).toBe(403);
    const other = await createStation(t, staff);
    expect((await t.http().patch(`/api/stations/${other.id}/operations`).set(auth(keeper)).send({ status: 'open' })).status).toBe(404);
    expect((await t.http().patch(`/api/stations/${s.id}/operations`).set(auth(keeper)).send({ name: 'x' })).status).toBe(400);
    const reopened = await t.http().patch(`/api/stations/${s.id}/operations`).set(auth(keeper)).send({ status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', closedNote: null, closedUntil: null, openState: { open: true } });

    const keepers = await t.http().get('/api/stations/keepers').set(auth(staff));
    expect(keepers.body.map((k: any) => k.userId)).toContain(keeperId);
    const list = await t.http().get('/api/stations?pageSize=5&q=黄石大道爱心').set(auth(staff));
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.id)).toEqual([s.id]);
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const before = await count(t, 'stations');
    const cases: Array<[object, string]> = [
      [{ lat: 60 }, 'lat'], [{ lng: 'east' }, 'lng'], [{ name: '' }, 'name'], [{ amenities: ['spa'] }, 'amenities'],
      [{ hours: { is24h: false, weekly: { mon: ['8-20'] } } }, 'hours'], [{ hours: { weekly: {} } }, 'hours'], [{ closedDates: ['2025-02-30'] }, 'closedDates'],
      [{ status: 'gone' }, 'status'], [{ phone: 'abc' }, 'phone'], [{ ratingCount: 5 }, 'ratingCount'], [{ closedUntil: '31/12/2030' }, 'closedUntil'],
    ];
    for (const [over, field] of cases) {
      const res = await t.http().post('/api/stations').set(auth(staff)).send(stationInput(over as any));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: any) => d.field)).toContain(field);
    }
    const badKeeper = await t.http().post('/api/stations').set(auth(staff)).send(stationInput({ keeperUserId: 999999 }));
    expect(badKeeper.status).toBe(400);
    expect(badKeeper.body.code).toBe('KEEPER_INVALID');
    expect(await count(t, 'stations')).toBe(before);
    for (const q of ['lat=30&lng=115&radiusM=50001', 'lng=115', 'lat=30&lng=115&amenities=spa', 'lat=30&lng=115&openNow=maybe', 'lat=30&lng=115&openFirst=maybe', 'lat=91&lng=115', 'lat=30&lng=115&pageSize=101']) {
      const res = await t.http().get(`/api/stations/nearby?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http().get('/api/stations/abc')).status).toBe(400);
    expect((await t.http().get('/api/stations/987654')).body.code).toBe('STATION_NOT_FOUND');
  });

  it('needs a token (401) and the right role (403)', async () => {
    const user = await t.login('st-user-roles');
    expect((await t.http().post('/api/stations').send(stationInput())).status).toBe(401);
    expect((await t.http().post('/api/stations/checkins').send({ code: 'x' })).status).toBe(401);
    expect((await t.http().get('/api/stations/mine')).status).toBe(401);
    expect((await t.http().post('/api/stations').set(auth(user)).send(stationInput())).status).toBe(403);
    expect((await t.http().get('/api/stations').set(auth(user))).status).toBe(403);
    expect((await t.http().get('/api/stations/stats').set(auth(keeper))).status).toBe(403);
    expect((await t.http().post('/api/stations/import').set(auth(keeper)).send({ csv: 'a' })).status).toBe(403);
    expect((await t.http().get('/api/stations/mine').set(auth(staff))).status).toBe(403);
    // nearby and detail are public
    expect((await t.http().get('/api/stations/nearby?lat=30.2&lng=115.06')).status).toBe(200);
  });

  it('keeps staff inside their subtree (404) and changes nothing', async () => {
    const s = await createStation(t, staff);
    const before = await t.http().get(`/api/stations/${s.id}/admin`).set(auth(staff));
    expect((await t.http().post('/api/stations').set(auth(otherStaff)).send(stationInput())).body.code).toBe('ORG_NOT_FOUND');
    expect((await t.http().get(`/api/stations/${s.id}/admin`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().patch(`/api/stations/${s.id}`).set(auth(otherStaff)).send({ name: '改名' })).status).toBe(404);
    expect((await t.http().patch(`/api/stations/${s.id}/operations`).set(auth(otherStaff)).send({ status: 'temporarily_closed' })).status).toBe(404);
    expect((await t.http().get(`/api/stations/${s.id}/qr`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().get(`/api/stations/${s.id}/visits`).set(auth(otherStaff))).status).toBe(404);
    expect((await t.http().post(`/api/stations/${s.id}/photos`).set(auth(otherStaff)).attach('file', PNG_1x1, 'a.png')).status).toBe(404);
    expect((await t.http().get(`/api/stations?orgCode=${WM}`).set(auth(otherStaff))).status).toBe(404);
    const theirs = await t.http().get('/api/stations?pageSize=100').set(auth(otherStaff));
    expect(theirs.body.items.map((x: any) => x.id)).not.toContain(s.id);
    const exported = await t.http().get('/api/stations/export.csv').set(auth(otherStaff));
    expect(exported.text).not.toContain(s.name);
    // staff of the other subtree cannot assign our keeper either
    expect((await t.http().post('/api/stations').set(auth(otherStaff)).send(stationInput({ orgCode: 'JX-YT', keeperUserId: keeperId }))).body.code).toBe('KEEPER_INVALID');
    const after = await t.http().get(`/api/stations/${s.id}/admin`).set(auth(staff));
    expect(after.body).toEqual({ ...before.body, openState: after.body.openState });
  });

  it('checks a member in once per 30 minutes (a repeat returns the first), only with a valid code', async () => {
    const s = await createStation(t, staff, { keeperUserId: keeperId });
    const stranger = await t.login('st-not-member');
    const notMember = await t.http().post('/api/stations/checkins').set(auth(stranger)).send({ code: s.code });
    expect(notMember.status).toBe(403);
    expect(notMember.body.code).toBe('NOT_MEMBER');

    const rider = await makeMember(t, staff, 'st-rider-checkin');
    const bad = await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code + 'x' });
    expect(bad.status).toBe(404);
    expect((await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code, amenities: ['sauna'] })).status).toBe(400);

    const first = await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code, amenities: ['charging', 'water'] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stationId: s.id, created: true, amenities: ['water', 'charging'] });
    const again = await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, created: false });
    const status = await t.http().get(`/api/stations/${s.id}/my-status`).set(auth(rider));
    expect(status.body).toMatchObject({ isMember: true, checkedInRecently: true, canRate: true, ratedToday: false, canManage: false });

    // 31 minutes later the next visit counts again
    await t.db.getRepository(StationCheckInGuard).update({ lastCheckInId: first.body.id }, { lastAt: new Date(Date.now() - 31 * 60_000) });
    const later = await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code });
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);

    const visits = await t.http().get(`/api/stations/${s.id}/visits`).set(auth(keeper));
    expect(visits.status).toBe(200);
    expect(visits.body.total).toBe(2);
    expect(visits.body.items[0]).toMatchObject({ memberNameMasked: '骑***', occupation: 'food_delivery' });
    const mine = await t.http().get('/api/stations/mine').set(auth(keeper));
    const dash = mine.body.stations.find((x: any) => x.id === s.id);
    expect(dash.todayVisits.length).toBe(2);
  });

  it('lets exactly one of 20 concurrent check-ins through', async () => {
    const s = await createStation(t, staff);
    const rider = await makeMember(t, staff, 'st-rider-race');
    const results = await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code })));
    expect(results.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const rows = await t.db.query('SELECT COUNT(*) AS n FROM station_checkins WHERE stationId = ?', [s.id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('allows a rating only after a check-in, once per day, and shows the average', async () => {
    const s = await createStation(t, staff);
    const rider = await makeMember(t, staff, 'st-rider-rate');
    const before = await count(t, 'station_ratings');
    const early = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 5 });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('RATING_NEEDS_CHECKIN');
    await t.http().post('/api/stations/checkins').set(auth(rider)).send({ code: s.code }).expect(201);
    for (const body of [{ stars: 0 }, { stars: 6 }, { stars: 4.5 }, { stars: 4, comment: 'x'.repeat(201) }, {}]) {
      expect((await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send(body)).status).toBe(400);
    }
    expect(await count(t, 'station_ratings')).toBe(before);
    const rated = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 4, comment: '水很凉快，谢谢站长' });
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({ stars: 4, day: shanghaiDate(new Date()), memberNameMasked: '骑***' });
    const twice = await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider)).send({ stars: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_RATED');
    const rider2 = await makeMember(t, staff, 'st-rider-rate-2', 'courier');
    await t.http().post('/api/stations/checkins').set(auth(rider2)).send({ code: s.code }).expect(201);
    await t.http().post(`/api/stations/${s.id}/ratings`).set(auth(rider2)).send({ stars: 5 }).expect(201);
    const pub = await t.http().get(`/api/stations/${s.id}`);
    expect(pub.body).toMatchObject({ ratingAverage: 4.5, ratingCount: 2 });
    const list = await t.http().get(`/api/stations/${s.id}/ratings`);
    expect(list.body.total).toBe(2);
    expect((await t.http().get(`/api/stations/${s.id}/my-status`).set(auth(rider))).body).toMatchObject({ ratedToday: true, canRate: false });
  });

  it('takes problem reports that the keeper or staff mark handled', async () => {
    const s = await createStation(t, staff, { keeperUserId: keeperId });
    const user = await t.login('st-reporter');
    expect((await t.http().post(`/api/stations/${s.id}/reports`).set(auth(user)).send({ kind: 'other' })).status).toBe(400);
    expect((await t.http().post(`/api/stations/${s.id}/reports`).set(auth(user)).send({ kind: 'fire' })).status).toBe(400);
    const r = await t.http().post(`/api/stations/${s.id}/reports`).set(auth(user)).send({ kind: 'amenity_broken', note: '充电桩坏了' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'amenity_broken', status: 'open', stationName: s.name });
    const open = await t.http().get('/api/stations/reports?status=open').set(auth(keeper));
    expect(open.body.items.map((x: any) => x.id)).toContain(r.body.id);
    expect((await t.http().get('/api/stations/reports').set(auth(otherStaff))).body.items.map((x: any) => x.id)).not.toContain(r.body.id);
    const otherKeeper = await t.login('st-keeper-2', 'station_keeper', 'HB-HS');
    expect((await t.http().post(`/api/stations/reports/${r.body.id}/handle`).set(auth(otherKeeper))).status).toBe(404);
    expect((await t.http().post(`/api/stations/reports/${r.body.id}/handle`).set(auth(otherStaff))).status).toBe(404);
    const handled = await t.http().post(`/api/stations/reports/${r.body.id}/handle`).set(auth(keeper));
    expect(handled.status).toBe(200);
    expect(handled.body.status).toBe('handled');
    expect((await t.http().post(`/api/stations/reports/${r.body.id}/handle`).set(auth(staff))).body.code).toBe('REPORT_HANDLED');
  });

  it('stores up to 3 photos by their real type and size, and serves them back', async () => {
    const s = await createStation(t, staff, { keeperUserId: keeperId });
    const up = (token: string, buf: Buffer, name: string, type = 'image/png') => t.http().post(`/api/stations/${s.id}/photos`).set(auth(token)).attach('file', buf, { filename: name, contentType: type });
    const png = await up(staff, PNG_1x1, 'door.png');
    expect(png.status).toBe(201);
    expect(png.body.photos).toHaveLength(1);
    const served = await t.http().get(png.body.photos[0]);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body, PNG_1x1)).toBe(0);

    const fake = await up(staff, Buffer.from('GIF89a....not allowed'), 'x.png');
    expect(fake.status).toBe(415);
    expect(fake.body.code).toBe('PHOTO_TYPE');
    const html = await up(staff, Buffer.from('<html><script>alert(1)</script></html>'), 'x.jpg', 'image/jpeg');
    expect(html.body.code).toBe('PHOTO_TYPE');
    const big = await up(staff, jpegOfSize(MAX_STATION_PHOTO_BYTES + 1), 'big.jpg', 'image/jpeg');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PHOTO_TOO_LARGE');
    expect((await t.http().post(`/api/stations/${s.id}/photos`).set(auth(staff))).status).toBe(400);
    expect((await up(keeper, jpegOfSize(MAX_STATION_PHOTO_BYTES), 'max.jpg', 'image/jpeg')).status).toBe(201);
    expect((await up(staff, jpegOfSize(1000), 'third.jpg', 'image/jpeg')).status).toBe(201);
    const fourth = await up(staff, PNG_1x1, 'fourth.png');
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe('PHOTO_LIMIT');
    expect(await count(t, 'station_photos')).toBeGreaterThanOrEqual(3);
    const name = png.body.photos[0].split('/').pop();
    const removed = await t.http().delete(`/api/stations/${s.id}/photos/${name}`).set(auth(staff));
    expect(removed.status).toBe(200);
    expect(removed.body.photos).toHaveLength(2);
    expect((await t.http().get(png.body.photos[0])).status).toBe(404);
    expect((await up(staff, PNG_1x1, 'again.png')).status).toBe(201);
  });

  it('imports a CSV row by row (all or nothing) and exports it back', async () => {
    const header = 'name,orgCode,address,lat,lng,amenities,hours,closedDates,status,phone';
    const good = [header, '磁湖驿站,HB-HS-HSG-WM,黄石市磁湖路1号,30.2001,115.0501,rest water 充电,"mon-fri 08:00-20:00; sat,sun 22:00-02:00",2030-01-01,open,0714-1234567',
      '"湖滨驿站, 北门",HB-HS,黄石市湖滨大道2号,30.2101,115.0701,rest|wifi,24h,,,'].join('\n');
    const before = await count(t, 'stations');
    const bad = [header, '磁湖驿站,HB-HS-HSG-WM,黄石市磁湖路1号,30.2001,115.0501,rest,24h,,open,',
      ',JX,地址,99,115,spa,mon 8-20,,closed,abc', '好驿站,HB-HS,地址,30.1,115.1,rest,24h,2025-13-01,,'].join('\n');
    const rejected = await t.http().post('/api/stations/import').set(auth(staff)).send({ csv: bad });
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('IMPORT_INVALID');
    const byRow = (row: number) => rejected.body.details.filter((d: any) => d.row === row).map((d: any) => d.field).sort();
    expect(byRow(1)).toEqual([]);
    expect(byRow(2)).toEqual(expect.arrayContaining(['name', 'lat', 'amenities', 'hours', 'status', 'phone']));
    expect(byRow(3)).toEqual(['closedDates']);
    expect(await count(t, 'stations')).toBe(before);
    const scoped = await t.http().post('/api/stations/import').set(auth(otherStaff)).send({ csv: good });
    expect(scoped.body.details.map((d: any) => d.field)).toEqual(['orgCode', 'orgCode']);
    expect((await t.http().post('/api/stations/import').set(auth(staff)).send({ csv: 'name,lat\nx,1' })).body.code).toBe('IMPORT_INVALID');

    const ok = await t.http().post('/api/stations/import').set(auth(staff)).send({ csv: good });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, rows: 2, created: 2, updated: 0 });
    expect(await count(t, 'stations')).toBe(before + 2);

    const exported = await t.http().get('/api/stations/export.csv').set(auth(staff));
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    const lines = exported.text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('id,name,orgCode,address,lat,lng,amenities,hours,closedDates,status,closedNote,closedUntil,phone,description,keeperUserId,code,url,ratingAverage,ratingCount');
    const line = lines.find((l) => l.includes('磁湖驿站'))!;
    expect(line).toContain('rest water charging');
    expect(line).toContain('mon-fri 08:00-20:00; sat,sun 22:00-02:00');
    expect(exported.text).toContain('"湖滨驿站, 北门"');
    // export → edit → import updates in place
    const id = line.split(',')[0];
    const edited = exported.text.replace(/^\uFEFF/, '').split('\n').filter((l, i) => i === 0 || l.startsWith(`${id},`)).join('\n').replace('磁湖驿站', '磁湖驿站二号');
    const again = await t.http().post('/api/stations/import').set(auth(staff)).send({ csv: edited });
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
    expect((await t.http().get(`/api/stations/${id}`)).body.name).toBe('磁湖驿站二号');
  });

  it('gives staff visits per station per day and by occupation', async () => {
    const s = await createStation(t, staff);
    const a = await makeMember(t, staff, 'st-stats-a', 'courier');
    const b = await makeMember(t, staff, 'st-stats-b', 'courier');
    for (const tok of [a, b]) await t.http().post('/api/stations/checkins').set(auth(tok)).send({ code: s.code }).expect(201);
    const stats = await t.http().get('/api/stations/stats').set(auth(staff));
    expect(stats.status).toBe(200);
    const today = shanghaiDate(new Date());
    expect(stats.body.to).toBe(today);
    expect(stats.body.perStationDay).toContainEqual({ stationId: s.id, stationName: s.name, day: today, count: 2 });
    expect(stats.body.byOccupation.find((o: any) => o.occupation === 'courier').count).toBeGreaterThanOrEqual(2);
    const other = await t.http().get('/api/stations/stats').set(auth(otherStaff));
    expect(other.body.perStationDay.find((r: any) => r.stationId === s.id)).toBeUndefined();
    expect((await t.http().get('/api/stations/stats?from=2025-02-30').set(auth(staff))).status).toBe(400);
  });

  it('finds nearby stations with filters, open-now and paging', async () => {
    const base = { lat: 45.1, lng: 125.1 };
    const near = await createStation(t, staff, { ...base, lat: base.lat + 0.001, amenities: ['charging'], hours: { is24h: true, weekly: {} } });
    const closed = await createStation(t, staff, { ...base, lat: base.lat + 0.002, amenities: ['charging', 'water'], status: 'temporarily_closed' });
    const far = await createStation(t, staff, { ...base, lat: base.lat + 0.05, amenities: AMENITIES.slice() });
    const all = await t.http().get(`/api/stations/nearby?lat=${base.lat}&lng=${base.lng}&radiusM=10000`);
    expect(all.body.items.map((x: any) => x.id)).toEqual([near.id, closed.id, far.id]);
    expect(all.body.items[0].distanceM).toBeCloseTo(111.2, 0);
    const charging = await t.http().get(`/api/stations/nearby?lat=${base.lat}&lng=${base.lng}&radiusM=10000&amenities=charging,water`);
    expect(charging.body.items.map((x: any) => x.id)).toEqual([closed.id, far.id]);
    const open = await t.http().get(`/api/stations/nearby?lat=${base.lat}&lng=${base.lng}&radiusM=10000&openNow=true&amenities=charging`);
    expect(open.body.items.map((x: any) => x.id)).toContain(near.id);
    expect(open.body.items.map((x: any) => x.id)).not.toContain(closed.id);
    const small = await t.http().get(`/api/stations/nearby?lat=${base.lat}&lng=${base.lng}&radiusM=1000`);
    expect(small.body.items.map((x: any) => x.id)).toEqual([near.id, closed.id]);
    const paged = await t.http().get(`/api/stations/nearby?lat=${base.lat}&lng=${base.lng}&radiusM=10000&page=2&pageSize=2`);
    expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.body.items.map((x: any) => x.id)).toEqual([far.id]);
  });
});
