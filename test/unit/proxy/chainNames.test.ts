// Chain names against values from kube-proxy's tests and from real nodes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointChainName, isServiceChainName, servicePortChainName, servicePortName } from '../../../emulator/src/proxy/chainNames';

test('servicePortName adds the port name only when the port is named', () => {
  assert.equal(servicePortName('ns1', 'svc1', 'p80'), 'ns1/svc1:p80');
  assert.equal(servicePortName('default', 'db'), 'default/db');
  assert.equal(servicePortName('default', 'db', ''), 'default/db');
});

test('service chain names match kube-proxy test vectors and real clusters', () => {
  const cases: [string, string, string][] = [
    [servicePortName('ns1', 'svc1', 'p80'), 'TCP', 'KUBE-SVC-XPGD46QRK7WJZT7O'],
    [servicePortName('default', 'kubernetes', 'https'), 'tcp', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
    [servicePortName('kube-system', 'kube-dns', 'dns'), 'UDP', 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    [servicePortName('kube-system', 'kube-dns', 'dns-tcp'), 'TCP', 'KUBE-SVC-ERIFXISQEP7F7OF4'],
    [servicePortName('kube-system', 'kube-dns', 'metrics'), 'TCP', 'KUBE-SVC-JD5MR3NA4I4DYORP'],
    [servicePortName('default', 'web', 'http'), 'TCP', 'KUBE-SVC-CDGGSHYLG3RE2FKL'],
    [servicePortName('default', 'web-np', 'http'), 'TCP', 'KUBE-SVC-2262UYG6EQJDKK3I'],
  ];
  for (const [spn, proto, chain] of cases) assert.equal(servicePortChainName('KUBE-SVC-', spn, proto), chain, spn);
});

test('the other per-service chains share the SVC hash with their own prefix', () => {
  const spn = servicePortName('ns5', 'svc5', 'p80');
  assert.equal(servicePortChainName('KUBE-EXT-', spn, 'tcp'), 'KUBE-EXT-NUKIZ6OKUXPJNT4C');
  assert.equal(servicePortChainName('KUBE-FW-', spn, 'tcp'), 'KUBE-FW-NUKIZ6OKUXPJNT4C');
  assert.equal(servicePortChainName('KUBE-SVL-', servicePortName('ns2', 'svc2', 'p80'), 'tcp'), 'KUBE-SVL-GNZBNJ2PO5MGZ6GT');
});

test('endpoint chain names hash the service port, protocol and IP:port', () => {
  assert.equal(endpointChainName('ns1/svc1:p80', 'TCP', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
  assert.equal(endpointChainName('ns5/svc5:p80', 'tcp', '10.180.0.3:80'), 'KUBE-SEP-I77PXRDZVX7PMWMN');
  assert.equal(endpointChainName('default/web:http', 'tcp', '10.244.0.5:80'), 'KUBE-SEP-J44QSZ26JCYCDSXF');
  assert.equal(endpointChainName('default/web:http', 'tcp', '10.244.0.6:80'), 'KUBE-SEP-V34CJSIX6DA6HMYQ');
  assert.equal(endpointChainName('default/web:http', 'tcp', '10.244.0.7:80'), 'KUBE-SEP-YOT3ONP457TQH7II');
  assert.equal(endpointChainName('default/web-np:http', 'tcp', '10.244.0.8:80'), 'KUBE-SEP-W35BF6WDQZLTSYNQ');
});

test('isServiceChainName recognises only per-service and per-endpoint chains', () => {
  assert.ok(isServiceChainName('KUBE-SEP-SXIVWICOYRO3J4NJ'));
  assert.ok(isServiceChainName('KUBE-FW-NUKIZ6OKUXPJNT4C'));
  assert.ok(!isServiceChainName('KUBE-SERVICES'));
  assert.ok(!isServiceChainName('KUBE-MARK-MASQ'));
});
