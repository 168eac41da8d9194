import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileTooLargeDiagnostic, MAX_CHECKED_FILE_BYTES, oversizedBytes } from '../../../../server/src/features/fileSizeLimit';

describe('the file size limit', () => {
  it('counts UTF-8 bytes, not characters', () => {
    // 'é' is two bytes: a text of limit/2 + 1 of them is under the limit in characters, over it in bytes.
    const accented = 'é'.repeat(MAX_CHECKED_FILE_BYTES / 2 + 1);
    assert.equal(oversizedBytes(accented), MAX_CHECKED_FILE_BYTES + 2);
    assert.equal(oversizedBytes('a'.repeat(MAX_CHECKED_FILE_BYTES)), undefined);
    assert.equal(oversizedBytes('a'.repeat(MAX_CHECKED_FILE_BYTES + 1)), MAX_CHECKED_FILE_BYTES + 1);
  });

  it('puts its diagnostic on the first line, at most 200 characters of it', () => {
    const text = 'x'.repeat(500) + '\r\nkind: Service\n';
    assert.deepEqual(fileTooLargeDiagnostic(text, 7_340_000).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } });
    assert.deepEqual(fileTooLargeDiagnostic('kind: Service\r\n', 7_340_000).range.end, { line: 0, character: 13 });
    assert.match(String(fileTooLargeDiagnostic('', 7_340_000).message), /^This file is 7\.3 MB, over the 5\.0 MB that Kube Service Lab checks/);
  });
});
