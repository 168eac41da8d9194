// How a DNS lookup and an in-cluster call are reported to the user.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerData, bodyGist, callReport, lookupQuery, lookupReport } from '../../../client/src/commands/resultText';

describe('lookupQuery', () => {
  it('asks A for names, PTR for an IPv4 address and SRV for _port._proto names', () => {
    assert.deepEqual(lookupQuery(' web ', 'default'), { name: 'web', namespace: 'default', type: 'A' });
    assert.deepEqual(lookupQuery('10.96.12.7', 'shop'), { name: '7.12.96.10.in-addr.arpa.', namespace: 'shop', type: 'PTR' });
    assert.deepEqual(lookupQuery('_http._tcp.web.default.svc.cluster.local', 'default').type, 'SRV');
    assert.equal(lookupQuery('10.96.12.300', 'default').type, 'A');
  });
});

describe('lookupReport', () => {
  const params = { name: 'web', namespace: 'default', type: 'A' as const };

  it('sums up the answer and keeps the search path in the output', () => {
    const report = lookupReport(params, {
      query: 'web.default.svc.cluster.local.',
      rcode: 'NOERROR',
      answers: ['web.default.svc.cluster.local. 30 IN A 10.96.12.7'],
      tried: ['web.default.svc.cluster.local.'],
    });
    assert.equal(report.summary, 'web.default.svc.cluster.local. → 10.96.12.7');
    assert.deepEqual(report.lines, [
      ';; A web from a pod in namespace default',
      ';; tried web.default.svc.cluster.local.',
      ';; NOERROR for web.default.svc.cluster.local.',
      'web.default.svc.cluster.local. 30 IN A 10.96.12.7',
    ]);
  });

  it('names the names tried when nothing answered', () => {
    const report = lookupReport(
      { ...params, name: 'wbe' },
      { query: '', rcode: 'NXDOMAIN', answers: [], tried: ['wbe.default.svc.cluster.local.', 'wbe.svc.cluster.local.', 'wbe.cluster.local.', 'wbe.'] },
    );
    assert.equal(report.summary, 'wbe: NXDOMAIN (tried wbe.default.svc.cluster.local., wbe.svc.cluster.local., wbe.cluster.local., wbe.)');
  });

  it('reads the data of an answer line, or keeps a line it does not know', () => {
    assert.equal(answerData('_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.'), '0 100 80 web.default.svc.cluster.local.');
    assert.equal(answerData('10.96.12.7'), '10.96.12.7');
  });
});

describe('callReport', () => {
  const nginx = '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n</html>\n';

  it('says the status, which pod answered and the page’s title', () => {
    const report = callReport('http://web', 'default', {
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: nginx,
      pod: 'web-7c5d-2xk4p',
      podIP: '10.244.0.15',
      route: ['web → web.default.svc.cluster.local → 10.96.12.7', '10.96.12.7:80 → KUBE-SEP-ABC → 10.244.0.15:80'],
    });
    assert.equal(report.summary, '200 OK from pod web-7c5d-2xk4p (10.244.0.15): Welcome to nginx!');
    assert.deepEqual(report.lines.slice(0, 6), [
      '> GET http://web (from a pod in namespace default)',
      '* web → web.default.svc.cluster.local → 10.96.12.7',
      '* 10.96.12.7:80 → KUBE-SEP-ABC → 10.244.0.15:80',
      '< HTTP/1.1 200 OK',
      '< content-type: text/html',
      '',
    ]);
    assert.equal(report.lines[6], nginx);
  });

  it('reports curl’s error when the call failed', () => {
    const report = callReport('http://typo', 'default', { status: 0, headers: {}, body: '', route: ['typo → typo.default.svc.cluster.local → 10.96.40.2'], error: 'Failed to connect to typo port 80: Connection refused' });
    assert.equal(report.summary, 'http://typo: Failed to connect to typo port 80: Connection refused');
    assert.equal(report.lines.at(-1), 'curl: Failed to connect to typo port 80: Connection refused');
  });

  it('cuts a long body in the output', () => {
    const report = callReport('http://big', 'default', { status: 200, headers: {}, body: 'x'.repeat(5000), route: [] });
    assert.match(report.lines.at(-1) ?? '', /\[… 1000 more characters\]$/);
  });
});

describe('bodyGist', () => {
  it('is the title, else the first line, shortened', () => {
    assert.equal(bodyGist('hello from shop\n'), 'hello from shop');
    assert.equal(bodyGist(''), '');
    assert.equal(bodyGist('y'.repeat(200)).length, 80);
  });
});
