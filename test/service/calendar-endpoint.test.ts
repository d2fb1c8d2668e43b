import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function deadline(query: string) {
  const res = await t.request(`/v1/calendar/deadline?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('GET /v1/calendar/deadline', () => {
  it('10 días hábiles from Friday 2026-03-27: national 04-13, Madrid 04-14', async () => {
    const national = await deadline('from=2026-03-27&business_days=10');
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({ from: '2026-03-27', deadline: '2026-04-13', unit: 'business_days', amount: 10, region: null, provisional: false });
    expect(national.body.skipped).toContainEqual({ date: '2026-04-03', reason: 'national_holiday', name: expect.any(String) });

    const madrid = await deadline('from=2026-03-27&business_days=10&region=MD');
    expect(madrid.body.deadline).toBe('2026-04-14');
    expect(madrid.body.skipped).toContainEqual({ date: '2026-04-02', reason: 'regional_holiday', name: expect.any(String) });
  });

  it('90 días hábiles from Monday 2026-01-05 end on 2026-05-14', async () => {
    expect((await deadline('from=2026-01-05&business_days=90')).body.deadline).toBe('2026-05-14');
  });

  it('6 months from 2026-08-31: end of February, a Sunday, rolls to Monday 2027-03-01 (provisional year)', async () => {
    const r = await deadline('from=2026-08-31&months=6');
    expect(r.body).toMatchObject({ deadline: '2027-03-01', unit: 'months', provisional: true });
  });

  it('1 month from 2026-07-15 lands on Saturday 08-15 and rolls to Monday 08-17', async () => {
    expect((await deadline('from=2026-07-15&months=1')).body.deadline).toBe('2026-08-17');
  });

  it('refuses a year without holiday data with 422 calendar_unavailable', async () => {
    const r = await deadline('from=2027-12-20&business_days=30');
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('calendar_unavailable');
  });

  it('needs exactly one unit and a real date', async () => {
    const both = await deadline('from=2026-03-27&business_days=10&months=1');
    expect(both.status).toBe(400);
    const badDate = await deadline('from=2026-02-30&business_days=10');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0]).toMatchObject({ pointer: '/from', in: 'query' });
    const badRegion = await deadline('from=2026-03-27&business_days=10&region=XX');
    expect(badRegion.body.errors[0].pointer).toBe('/region');
  });
});
