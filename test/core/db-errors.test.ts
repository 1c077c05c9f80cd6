// How database failures are classified (src/core/db/errors.ts). The outage test meets these errors only when a
// connection dies at the right moment; here each shape is checked on its own, from the adapter's real class.
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isPermanentWriteError } from '../../src/core/db/errors.ts';

describe('database error classification', () => {
  it("a DriverAdapterError that reaches the caller unwrapped (inside a transaction) is 'unavailable' when the connection closed", () => {
    const closed = new DriverAdapterError({ kind: 'ConnectionClosed' });
    expect(isDatabaseUnavailable(closed)).toBe(true);
    expect(isPermanentWriteError(closed)).toBe(false);
  });

  it('the same error wrapped by the Prisma client (meta.driverAdapterError) is unavailable too', () => {
    const wrapped = Object.assign(new Error('closed'), { meta: { driverAdapterError: new DriverAdapterError({ kind: 'ConnectionClosed' }) } });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it('an unwrapped constraint violation is a permanent write error, not an outage', () => {
    const refused = new DriverAdapterError({ kind: 'ForeignKeyConstraintViolation', constraint: { fields: ['user_id'] } });
    expect(isDatabaseUnavailable(refused)).toBe(false);
    expect(isPermanentWriteError(refused)).toBe(true);
  });

  it('anything else is neither', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isPermanentWriteError(new Error('boom'))).toBe(false);
  });
});
