import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodIPAllocator } from '../../../emulator/src/registry/allocators/podIPAllocator';
import { AllocationError } from '../../../emulator/src/registry/allocators/allocationError';

test('the first pods on a fresh node get .2, .3, … and the gateway .1 is never handed out', () => {
  const pods = new PodIPAllocator();
  assert.equal(pods.gateway, '10.244.0.1');
  assert.equal(pods.size, 253);
  assert.deepEqual([pods.allocateNext(), pods.allocateNext(), pods.allocateNext()], ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
});

test('a freed address is not reused at once: allocation continues after the last one handed out', () => {
  const pods = new PodIPAllocator();
  pods.allocateNext();
  const second = pods.allocateNext();
  pods.release(second);
  assert.equal(pods.has(second), false);
  assert.equal(pods.allocateNext(), '10.244.0.4');
  assert.equal(pods.lastAllocated, '10.244.0.4');
});

test('allocation wraps around past the broadcast address to freed addresses, then reports range is full', () => {
  const pods = new PodIPAllocator({ cidr: '10.244.1.0/29' });
  const all = Array.from({ length: 5 }, () => pods.allocateNext());
  assert.deepEqual(all, ['10.244.1.2', '10.244.1.3', '10.244.1.4', '10.244.1.5', '10.244.1.6']);
  assert.throws(
    () => pods.allocateNext(),
    (error: unknown) => error instanceof AllocationError && error.reason === 'full' && error.message === 'range is full',
  );
  pods.release('10.244.1.3');
  pods.release('10.244.1.5');
  assert.equal(pods.allocateNext(), '10.244.1.3');
  assert.equal(pods.allocateNext(), '10.244.1.5');
});

test('restore marks stored pod IPs as used and resumes after the last allocated address', () => {
  const pods = new PodIPAllocator();
  const rejected = pods.restore(['10.244.0.2', '10.244.0.5', '10.244.0.5', '10.244.0.1', '10.244.0.255', '10.9.9.9'], '10.244.0.5');
  assert.deepEqual(rejected, ['10.244.0.5', '10.244.0.1', '10.244.0.255', '10.9.9.9']);
  assert.equal(pods.used, 2);
  assert.equal(pods.allocateNext(), '10.244.0.6');

  const fresh = new PodIPAllocator();
  fresh.restore(['10.244.0.2', '10.244.0.3']);
  assert.equal(fresh.allocateNext(), '10.244.0.4');
});

test('a pod CIDR with no room for a pod is refused', () => {
  assert.throws(() => new PodIPAllocator({ cidr: '10.244.0.0/31' }), /too small/);
  assert.equal(new PodIPAllocator({ cidr: '10.244.0.0/30' }).allocateNext(), '10.244.0.2');
});
