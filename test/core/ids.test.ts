import { expect, it } from 'vitest';
import { timeOrderedId } from '../../src/core/ids.ts';

it('time-ordered ids are valid version-7 UUIDs that sort by time', () => {
  const a = timeOrderedId(Date.UTC(2026, 0, 1));
  const b = timeOrderedId(Date.UTC(2026, 0, 1) + 1);
  const c = timeOrderedId(Date.UTC(2030, 5, 1));
  for (const id of [a, b, c]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect([c, a, b].sort()).toEqual([a, b, c]);
  expect(a.slice(0, 13)).toBe(timeOrderedId(Date.UTC(2026, 0, 1)).slice(0, 13));
  expect(new Set(Array.from({ length: 10_000 }, () => timeOrderedId())).size).toBe(10_000);
});
