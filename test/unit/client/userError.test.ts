// The sentence a user reads when a language-server request fails.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestFailureMessage } from '../../../client/src/userError';

function responseError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('requestFailureMessage', () => {
  it('passes the server’s own message on', () => {
    assert.equal(requestFailureMessage(responseError(-32603, 'pods "web-1" not found'), 'ksl/deletePod'), 'pods "web-1" not found');
  });

  it('explains a server that does not know the request', () => {
    assert.match(requestFailureMessage(responseError(-32601, 'Unhandled method ksl/trafficTest'), 'ksl/trafficTest'), /does not answer ksl\/trafficTest.*Reload the window/);
  });

  it('explains a server that went away', () => {
    assert.match(requestFailureMessage(new Error('Pending response rejected since connection got disposed'), 'ksl/clusterSnapshot'), /language server stopped/);
    assert.match(requestFailureMessage(new Error('Client is not running and can\'t be stopped.'), 'ksl/clusterSnapshot'), /language server stopped/);
  });

  it('does not mistake the server’s words about the cluster for its own end', () => {
    assert.equal(requestFailureMessage(responseError(-32603, 'the emulator stopped'), 'ksl/callService'), 'the emulator stopped');
  });

  it('copes with things that are not errors', () => {
    assert.equal(requestFailureMessage('boom', 'ksl/x'), 'boom');
    assert.equal(requestFailureMessage(new Error(''), 'ksl/x'), 'ksl/x failed');
  });
});
