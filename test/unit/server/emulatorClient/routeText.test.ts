// A dial's route as `ksl curl -v` and "Call Service" show it, and the header that carries it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRoute, encodeRoute, type RouteSummary } from '../../../../server/src/emulatorClient/dialClient';
import { routeLines } from '../../../../server/src/emulatorClient/routeText';

const dnat: RouteSummary = {
  verdict: 'dnat',
  trace: ['raw/PREROUTING', 'nat/KUBE-SERVICES', 'nat/KUBE-SVC-ABC', 'nat/KUBE-SEP-DEF', 'filter/KUBE-FORWARD'],
  pod: { namespace: 'default', name: 'web-1' },
  podIP: '10.244.0.5',
  podPort: 8080,
};

test('a DNAT shows the Service chains, the DNAT and the pod that answered', () => {
  assert.deepEqual(routeLines(dnat), ['Routed by kube-proxy: KUBE-SERVICES -> KUBE-SVC-ABC -> KUBE-SEP-DEF -> DNAT 10.244.0.5:8080', 'Answered by pod default/web-1 (10.244.0.5:8080)']);
});

test('a reject shows the filter chains, REJECT and why', () => {
  const reject: RouteSummary = {
    verdict: 'reject',
    trace: ['nat/KUBE-SERVICES', 'filter/KUBE-SERVICES'],
    error: 'refused',
    message: 'connection to 10.96.0.9:80 refused: default/nobody has no endpoints',
  };
  assert.deepEqual(routeLines(reject), ['Routed by kube-proxy: KUBE-SERVICES -> KUBE-SERVICES -> REJECT', 'connection to 10.96.0.9:80 refused: default/nobody has no endpoints']);
});

test('the route header carries the summary and anything else reads as no route', () => {
  assert.deepEqual(decodeRoute(encodeRoute(dnat)), dnat);
  assert.equal(decodeRoute(undefined), undefined);
  assert.equal(decodeRoute(['a', 'b']), undefined);
  assert.equal(decodeRoute(Buffer.from('not json').toString('base64')), undefined);
  assert.equal(decodeRoute(Buffer.from('{"verdict":"dnat"}').toString('base64')), undefined, 'a summary without a trace');
});
