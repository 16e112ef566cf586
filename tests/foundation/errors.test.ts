import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConflictError,
  EXIT_CODES,
  ExternalToolError,
  InternalError,
  InvalidDataError,
  LockedError,
  NotFoundError,
  PendingError,
  TimeoutError,
  toSaseError,
  UsageError,
} from '../../lib/errors/index.js';

test('each error class carries its stable code and exit code from the one table', () => {
  const cases: Array<[Error & { code: string; exitCode: number }, string, number]> = [
    [new UsageError('x'), 'USAGE', 2],
    [new NotFoundError('x'), 'NOT_FOUND', 3],
    [new ConflictError('x'), 'CONFLICT', 4],
    [new LockedError('x'), 'LOCKED', 5],
    [new InvalidDataError('x'), 'INVALID', 6],
    [new ExternalToolError('x'), 'EXTERNAL', 7],
    [new TimeoutError('x'), 'TIMEOUT', 8],
    [new PendingError('x'), 'PENDING', 8],
    [new InternalError('x'), 'INTERNAL', 70],
  ];
  for (const [err, code, exit] of cases) {
    assert.equal(err.code, code);
    assert.equal(err.exitCode, exit);
    assert.equal(EXIT_CODES[code as keyof typeof EXIT_CODES], exit);
  }
});

test('a located error names file, line and column in its message and JSON', () => {
  const e = new InvalidDataError('bad field', { location: { file: 'a.md', line: 3, column: 5, field: 'input' }, hint: 'fix it' });
  assert.equal(e.located, 'a.md:3:5: bad field');
  const j = e.toJSON();
  assert.equal(j.code, 'INVALID');
  assert.equal(j.message, 'a.md:3:5: bad field');
  assert.equal(j.hint, 'fix it');
  assert.equal(j.data.field, 'input');
  assert.equal(j.data.line, 3);
});

test('unknown thrown values become INTERNAL errors', () => {
  assert.equal(toSaseError(new TypeError('boom')).code, 'INTERNAL');
  assert.equal(toSaseError('str').message, 'str');
  const u = new UsageError('u');
  assert.equal(toSaseError(u), u);
});
