// What the commands' input boxes accept and propose.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callUrl, defaultCallUrl, dnsNameProblem, replicasProblem, requestCountProblem, urlProblem } from '../../../client/src/commands/inputChecks';
import { service } from './snapshotFixture';

describe('input checks', () => {
  it('takes replicas from 0 to 1000', () => {
    assert.equal(replicasProblem('0'), undefined);
    assert.equal(replicasProblem(' 5 '), undefined);
    assert.match(replicasProblem('-1') ?? '', /whole number/);
    assert.match(replicasProblem('2.5') ?? '', /whole number/);
    assert.match(replicasProblem('1e9') ?? '', /whole number/);
    assert.match(replicasProblem('1001') ?? '', /At most 1000/);
  });

  it('takes 1 to 10000 requests', () => {
    assert.equal(requestCountProblem('300'), undefined);
    assert.match(requestCountProblem('0') ?? '', /1 or more/);
    assert.match(requestCountProblem('10001') ?? '', /At most 10000/);
  });

  it('takes DNS names and addresses', () => {
    assert.equal(dnsNameProblem('web.default.svc.cluster.local.'), undefined);
    assert.equal(dnsNameProblem('_http._tcp.web'), undefined);
    assert.match(dnsNameProblem('') ?? '', /Enter a name/);
    assert.match(dnsNameProblem('web default') ?? '', /only letters/);
    assert.match(dnsNameProblem('a'.repeat(300)) ?? '', /at most 253/);
  });

  it('reads URLs as curl does, plain HTTP only', () => {
    assert.equal(callUrl('web:8080/health'), 'http://web:8080/health');
    assert.equal(callUrl('http://web'), 'http://web');
    assert.equal(urlProblem('web'), undefined);
    assert.match(urlProblem('https://web') ?? '', /plain HTTP/);
    assert.match(urlProblem('http://') ?? '', /not a URL/);
    assert.match(urlProblem(' ') ?? '', /Enter a URL/);
  });

  it('proposes the Service’s name, with its port unless it is 80', () => {
    assert.equal(defaultCallUrl(service('web')), 'http://web');
    assert.equal(defaultCallUrl(service('api', { ports: [{ protocol: 'TCP', port: 8080, targetPort: 8080, endpoints: [] }] })), 'http://api:8080');
    assert.equal(defaultCallUrl(service('web'), { port: 9113, protocol: 'TCP' }), 'http://web:9113');
  });
});
