import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NodePortAllocator,
  formatNextNodePortFailure,
  nodePortStaticBandSize,
} from '../../../emulator/src/registry/allocators/nodePortAllocator';
import { AllocationError } from '../../../emulator/src/registry/allocators/allocationError';

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

test('the default range is 30000-32767 with a static band of 86 ports (KEP-3668)', () => {
  const ports = new NodePortAllocator();
  assert.equal(ports.rangeText, '30000-32767');
  assert.equal(ports.size, 2768);
  assert.equal(nodePortStaticBandSize(2768), 86);
  assert.equal(nodePortStaticBandSize(16), 0);
  assert.equal(nodePortStaticBandSize(100), 16);
  assert.equal(nodePortStaticBandSize(65535), 128);
});

test('dynamic allocation starts above the static band, where the random start says', () => {
  assert.equal(new NodePortAllocator({ rand: () => 0 }).allocateNext(), 30086);
  assert.equal(new NodePortAllocator({ rand: () => 0.99999999 }).allocateNext(), 32767);
});

test('a taken port makes the scan move forward and wrap within the upper band', () => {
  const ports = new NodePortAllocator({ rand: () => 0.99999999 });
  assert.equal(ports.allocateNext(), 32767);
  assert.equal(ports.allocateNext(), 30086);
  ports.allocate(30087);
  assert.equal(ports.allocateNext(), 30088);
});

test('a small range fills its upper band, then its static band, then reports range is full', () => {
  // 40 ports: static band 16 (30000-30015), dynamic 30016-30039.
  const ports = new NodePortAllocator({ base: 30000, size: 40, rand: sequence(0.5, 0.5) });
  const first = ports.allocateNext();
  assert.equal(first, 30028);
  for (let i = 0; i < 23; i++) assert.ok(ports.allocateNext() >= 30016);
  assert.equal(ports.allocateNext(), 30000);
  for (let i = 0; i < 15; i++) assert.ok(ports.allocateNext() < 30016);
  const full = allocationError(() => ports.allocateNext());
  assert.equal(full.reason, 'full');
  assert.equal(full.message, 'range is full');
  assert.equal(formatNextNodePortFailure(full), 'failed to allocate a nodePort: range is full');
});

test('requested ports outside the range or already taken fail with the apiserver texts', () => {
  const ports = new NodePortAllocator();
  for (const port of [80, 29999, 32768, 0, 70000]) {
    const error = allocationError(() => ports.allocate(port));
    assert.equal(error.reason, 'outOfRange');
    assert.equal(error.message, 'provided port is not in the valid range. The range of valid ports is 30000-32767');
  }
  ports.allocate(30080);
  const taken = allocationError(() => ports.allocate(30080));
  assert.equal(taken.reason, 'allocated');
  assert.equal(taken.message, 'provided port is already allocated');
});

test('a custom range appears in the out-of-range message', () => {
  const ports = new NodePortAllocator({ base: 20000, size: 1001 });
  assert.equal(
    allocationError(() => ports.allocate(30000)).message,
    'provided port is not in the valid range. The range of valid ports is 20000-21000',
  );
});

test('a released port can be requested again; restore reports what it cannot take', () => {
  const ports = new NodePortAllocator({ rand: () => 0 });
  const port = ports.allocateNext();
  ports.release(port);
  assert.equal(ports.has(port), false);
  ports.allocate(port);
  assert.equal(ports.used, 1);

  const restored = new NodePortAllocator({ rand: () => 0 });
  assert.deepEqual(restored.restore([30086, 30087, 30087, 8080]), { notInRange: [8080], duplicates: [30087] });
  assert.equal(restored.used, 2);
  assert.equal(restored.allocateNext(), 30088);
});
