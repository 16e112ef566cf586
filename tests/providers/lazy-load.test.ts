/** loadProvider imports one provider module and returns the same object the registry does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProvider } from '../../lib/providers/lazy.js';
import { getProvider, providerNames } from '../../lib/providers/index.js';
import { NotFoundError } from '../../lib/errors/index.js';

test('loadProvider returns the registry provider for every known name', async () => {
  const names = providerNames();
  assert.ok(names.includes('fakey') && names.includes('claude'));
  for (const name of names) assert.equal(await loadProvider(name), getProvider(name), name);
});

test('loadProvider rejects an unknown name with the registry NotFoundError', async () => {
  await assert.rejects(loadProvider('nope'), (e: unknown) => e instanceof NotFoundError && /known providers/.test(String((e as NotFoundError).hint)));
  await assert.rejects(loadProvider('toString'), NotFoundError);
});
