import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv4, formatIPv4Cidr, parseIPv4, parseIPv4Cidr } from '../../../emulator/src/registry/allocators/ipv4';

test('addresses parse and format round trip, reading leading zeros as decimal like ParseIPSloppy', () => {
  assert.equal(formatIPv4(parseIPv4('10.96.0.10') ?? -1), '10.96.0.10');
  assert.equal(formatIPv4(parseIPv4('255.255.255.255') ?? -1), '255.255.255.255');
  assert.equal(parseIPv4('010.096.000.010'), parseIPv4('10.96.0.10'));
  for (const bad of ['10.96.0', '10.96.0.256', '10.96.0.-1', 'fd00::1', '', '1.2.3.4.5', '1..2.3']) {
    assert.equal(parseIPv4(bad), undefined, bad);
  }
});

test('a CIDR gives its network, broadcast and size, with host bits cleared', () => {
  const cidr = parseIPv4Cidr('10.96.3.7/12');
  assert.equal(formatIPv4Cidr(cidr), '10.96.0.0/12');
  assert.equal(formatIPv4(cidr.broadcast), '10.111.255.255');
  assert.equal(cidr.size, 1048576);
  assert.throws(() => parseIPv4Cidr('10.96.0.0/33'), /invalid IPv4 CIDR "10\.96\.0\.0\/33"/);
});
