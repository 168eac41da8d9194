import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClusterIPAllocator,
  clusterIPStaticBandSize,
  formatClusterIPAllocationFailure,
  formatNextClusterIPFailure,
} from '../../../emulator/src/registry/allocators/clusterIPAllocator';
import { AllocationError } from '../../../emulator/src/registry/allocators/allocationError';

/** A random source that returns the given values in turn, then 0. */
const sequence = (...values: number[]) => () => values.shift() ?? 0;

function allocationError(fn: () => unknown): AllocationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AllocationError, `expected an AllocationError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to throw');
}

test('the static band follows KEP-3070 for common prefix lengths', () => {
  const cases: [prefix: number, band: number][] = [[28, 0], [27, 16], [24, 16], [22, 64], [20, 256], [12, 256]];
  for (const [prefix, band] of cases) assert.equal(clusterIPStaticBandSize(2 ** (32 - prefix)), band, `/${prefix}`);
  assert.equal(new ClusterIPAllocator({ cidr: '10.96.0.0/12' }).staticBandEnd, '10.96.1.0');
  assert.equal(new ClusterIPAllocator({ cidr: '10.0.0.0/24' }).staticBandEnd, '10.0.0.16');
  assert.equal(new ClusterIPAllocator({ cidr: '10.0.0.0/28' }).staticBandEnd, undefined);
});

test('dynamic allocation starts in the band above the static one, where the random start says', () => {
  assert.equal(new ClusterIPAllocator({ cidr: '10.96.0.0/12', rand: () => 0 }).allocateNext(), '10.96.1.1');
  assert.equal(new ClusterIPAllocator({ cidr: '10.96.0.0/12', rand: () => 0.999999999 }).allocateNext(), '10.111.255.254');
  assert.equal(new ClusterIPAllocator({ cidr: '10.96.0.0/12', rand: () => 0.5 }).allocateNext(), '10.104.0.128');
});

test('a taken address makes the scan move forward and wrap within the upper band', () => {
  const ips = new ClusterIPAllocator({ cidr: '10.0.0.0/24', rand: () => 0.999 });
  assert.equal(ips.allocateNext(), '10.0.0.254');
  assert.equal(ips.allocateNext(), '10.0.0.17');
  assert.equal(ips.allocateNext(), '10.0.0.18');
});

test('the static band is used only once the upper band is full, then the range is full', () => {
  // A /27 has 30 usable addresses: .1-.16 static, .17-.30 dynamic.
  const ips = new ClusterIPAllocator({ cidr: '10.0.0.0/27', rand: sequence(0.5) });
  const upper = Array.from({ length: 14 }, () => ips.allocateNext());
  assert.deepEqual(
    [...upper].sort((a, b) => Number(a.split('.')[3]) - Number(b.split('.')[3])),
    Array.from({ length: 14 }, (_, i) => `10.0.0.${17 + i}`),
  );
  assert.equal(ips.allocateNext(), '10.0.0.1');
  for (let i = 0; i < 15; i++) ips.allocateNext();
  assert.equal(ips.used, 30);
  const full = allocationError(() => ips.allocateNext());
  assert.equal(full.reason, 'full');
  assert.equal(full.message, 'range is full');
  assert.equal(formatNextClusterIPFailure(full), 'failed to allocate a serviceIP: range is full');
});

test('a range without a static band hands out every usable address and never network or broadcast', () => {
  const ips = new ClusterIPAllocator({ cidr: '192.168.7.0/29', rand: () => 0 });
  assert.equal(ips.size, 6);
  const all = Array.from({ length: 6 }, () => ips.allocateNext());
  assert.deepEqual(all, ['192.168.7.1', '192.168.7.2', '192.168.7.3', '192.168.7.4', '192.168.7.5', '192.168.7.6']);
  assert.equal(allocationError(() => ips.allocateNext()).reason, 'full');
});

test('requesting a taken address fails with the apiserver text', () => {
  const ips = new ClusterIPAllocator({ cidr: '10.96.0.0/12' });
  ips.allocate('10.96.0.10');
  assert.ok(ips.has('10.96.0.10'));
  const taken = allocationError(() => ips.allocate('10.96.0.10'));
  assert.equal(taken.reason, 'allocated');
  assert.equal(taken.message, 'provided IP is already allocated');
  assert.equal(
    formatClusterIPAllocationFailure('10.96.0.10', taken),
    'failed to allocate IP 10.96.0.10: provided IP is already allocated',
  );
});

test('requesting an address outside the usable range fails with the ServiceCIDR allocator text', () => {
  const ips = new ClusterIPAllocator({ cidr: '10.96.0.0/12' });
  for (const ip of ['10.112.0.1', '10.95.255.255', '10.96.0.0', '10.111.255.255']) {
    const error = allocationError(() => ips.allocate(ip));
    assert.equal(error.reason, 'outOfRange', ip);
    assert.equal(
      formatClusterIPAllocationFailure(ip, error),
      `failed to allocate IP ${ip}: the provided network does not match the current range`,
    );
  }
  assert.equal(allocationError(() => ips.allocate('not-an-ip')).reason, 'invalid');
  assert.equal(ips.used, 0);
});

test('a released address can be requested again and is no longer counted', () => {
  const ips = new ClusterIPAllocator({ cidr: '10.96.0.0/12', rand: () => 0 });
  const ip = ips.allocateNext();
  assert.equal(ips.used, 1);
  ips.release(ip);
  assert.equal(ips.has(ip), false);
  assert.equal(ips.used, 0);
  ips.allocate(ip);
  assert.ok(ips.has(ip));
  // Releasing something never allocated, or foreign, changes nothing.
  ips.release('10.96.0.99');
  ips.release('192.168.0.1');
  assert.equal(ips.used, 1);
});

test('restore marks stored addresses as used and reports the ones it cannot take', () => {
  const ips = new ClusterIPAllocator({ cidr: '10.0.0.0/29', rand: () => 0 });
  const result = ips.restore(['10.0.0.1', '10.0.0.2', '10.0.0.2', '10.0.1.1', '10.0.0.7']);
  assert.deepEqual(result, { notInRange: ['10.0.1.1', '10.0.0.7'], duplicates: ['10.0.0.2'] });
  assert.equal(ips.used, 2);
  assert.equal(ips.allocateNext(), '10.0.0.3');
});

test('a service range smaller than 8 addresses is refused as the apiserver refuses it', () => {
  assert.throws(
    () => new ClusterIPAllocator({ cidr: '10.0.0.0/30' }),
    /^Error: the service cluster IP range must be at least 8 IP addresses$/,
  );
  assert.throws(() => new ClusterIPAllocator({ cidr: '10.0.0.0' }), /invalid IPv4 CIDR/);
});
