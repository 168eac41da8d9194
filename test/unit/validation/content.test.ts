import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  errorString,
  formatIP,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  parseIP,
  regexError,
  validateCIDRForLegacyField,
  validateIPForLegacyField,
} from '../../../server/src/validation';

describe('regexError', () => {
  it('separates examples with two spaces before "or", as apimachinery does', () => {
    assert.equal(regexError('bad', 'x+', 'a', 'b'), "bad (e.g. 'a',  or 'b', regex used for validation is 'x+')");
    assert.equal(regexError('bad', 'x+', 'a'), "bad (e.g. 'a', regex used for validation is 'x+')");
    assert.equal(regexError('bad', 'x+'), "bad (regex used for validation is 'x+')");
  });
});

describe('DNS names', () => {
  it('RFC 1123 labels allow leading digits and say "must not contain dots" for subdomains', () => {
    assert.deepEqual(isDns1123Label('8080'), []);
    assert.deepEqual(isDns1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDns1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });
  it('RFC 1035 labels must start with a letter', () => {
    assert.deepEqual(isDns1035Label('web-1'), []);
    assert.equal(isDns1035Label('1web').length, 1);
  });
  it('subdomains are capped at 253 characters', () => {
    assert.deepEqual(isDns1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`), []);
    assert.deepEqual(isDns1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`), ['must be no more than 253 characters']);
  });
});

describe('qualified names and label values', () => {
  const NAME_REGEX =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  it('accepts prefixed and plain keys', () => {
    assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
    assert.deepEqual(isQualifiedName('MyName'), []);
  });
  it('reports an empty name part twice (non-empty and regex)', () => {
    assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', 'name part ' + NAME_REGEX]);
  });
  it('prefixes subdomain messages for a bad prefix', () => {
    assert.equal(isQualifiedName('Example.com/x')[0]?.startsWith('prefix part a lowercase RFC 1123 subdomain'), true);
  });
  it('counts label key and value limits in bytes (v1.35 wording)', () => {
    assert.deepEqual(isQualifiedName('k'.repeat(64)), ['name part must be no more than 63 bytes']);
    assert.deepEqual(isValidLabelValue('é'.repeat(32)).slice(0, 1), ['must be no more than 63 bytes']);
    assert.deepEqual(isValidLabelValue(''), []);
  });
});

describe('IANA service names', () => {
  it('reports each broken rule', () => {
    assert.deepEqual(isValidPortName('-'), [
      'must contain at least one letter (a-z)',
      'must not begin or end with a hyphen',
    ]);
    assert.deepEqual(isValidPortName('http'), []);
  });
});

describe('IP and CIDR parsing for legacy fields', () => {
  it('accepts the sloppy forms unless strict validation is on', () => {
    assert.deepEqual(validateIPForLegacyField('f', '010.1.2.3', false), []);
    assert.deepEqual(validateIPForLegacyField('f', '010.1.2.3', true).map(errorString), ['f: Invalid value: "010.1.2.3": must not have leading 0s']);
    assert.deepEqual(validateIPForLegacyField('f', '::ffff:1.2.3.4', true).map(errorString), [
      'f: Invalid value: "::ffff:1.2.3.4": must not be an IPv4-mapped IPv6 address',
    ]);
    assert.deepEqual(validateIPForLegacyField('f', '1.2.3.4%eth0', false).length, 1);
  });
  it('parses and formats IPv6 the way Go does', () => {
    const ip = parseIP('2001:DB8:0:0:1:0:0:1');
    assert.ok(ip);
    assert.equal(formatIP(ip.bytes), '2001:db8::1:0:0:1');
    assert.equal(parseIP('1::2::3'), null);
    assert.equal(parseIP('1.2.3'), null);
  });
  it('checks CIDRs', () => {
    assert.deepEqual(validateCIDRForLegacyField('f', '10.0.0.0/8', true), []);
    assert.deepEqual(validateCIDRForLegacyField('f', 'fd00::/129', false).map(errorString), [
      'f: Invalid value: "fd00::/129": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    assert.deepEqual(validateCIDRForLegacyField('f', '10.0.0.0/08', true).map(errorString), [
      'f: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length',
    ]);
  });
});
