// Reverse-lookup names under the two rule sets in use: dig -x's (IPv6 too, any four dotted
// numbers) and the editor's (a valid IPv4 address only).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reverseName } from '../../../../server/src/emulatorClient/reverseName';

const dig = { ipv6: true, strictIPv4: false };
const ipv4Only = { ipv6: false, strictIPv4: true };

test('an IPv4 address reverses under in-addr.arpa', () => {
  assert.equal(reverseName('10.96.0.10', dig), '10.0.96.10.in-addr.arpa');
  assert.equal(reverseName('10.96.0.10', ipv4Only), '10.0.96.10.in-addr.arpa');
});

test('only the strict rules refuse labels above 255', () => {
  assert.equal(reverseName('999.1.1.1', dig), '1.1.1.999.in-addr.arpa');
  assert.equal(reverseName('999.1.1.1', ipv4Only), undefined);
});

test('an IPv6 address reverses nibble by nibble under ip6.arpa when the rules allow it', () => {
  assert.equal(reverseName('::1', dig), `1.${'0.'.repeat(31)}ip6.arpa`);
  assert.equal(reverseName('2001:db8::567:89ab', dig), 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(reverseName('::1', ipv4Only), undefined);
});

test('anything that is not an address has no reverse name, and too many groups do not crash', () => {
  for (const text of ['web', '1.2.3', '1.2.3.4.5', '', 'g::1', '1:2:3:4:5:6:7:8::9', '1:2:3']) {
    assert.equal(reverseName(text, dig), undefined, text);
  }
});
