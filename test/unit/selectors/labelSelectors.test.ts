import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  formatLabels,
  labelMatcherFromSet,
  labelSelectorAsMatcher,
  labelSelectorString,
  parseLabelSelector,
} from '../../../emulator/src/api/selectors';
import { ApiError } from '../../../emulator/src/api/errors';

const web = { app: 'web', tier: 'frontend', 'pod-template-hash': '775855699b' };
const api = { app: 'api', tier: 'backend', release: '3' };
const bare = {};

function selects(selector: string): string[] {
  const m = parseLabelSelector(selector);
  return Object.entries({ web, api, bare })
    .filter(([, labels]) => m.matches(labels))
    .map(([name]) => name);
}

test('equality, set and existence requirements match as kubectl -l means them', () => {
  assert.deepEqual(selects('app=web'), ['web']);
  assert.deepEqual(selects('app==web'), ['web']);
  assert.deepEqual(selects('app!=web'), ['api', 'bare']);
  assert.deepEqual(selects('app in (web, api)'), ['web', 'api']);
  assert.deepEqual(selects('tier notin (frontend)'), ['api', 'bare']);
  assert.deepEqual(selects('release'), ['api']);
  assert.deepEqual(selects('!release'), ['web', 'bare']);
  assert.deepEqual(selects('app,tier=backend'), ['api']);
  assert.deepEqual(selects('release>2'), ['api']);
  assert.deepEqual(selects('release<3'), []);
  assert.deepEqual(selects(''), ['web', 'api', 'bare']);
  assert.deepEqual(selects('app='), []);
  assert.deepEqual(selects('x in (in, notin)'), []);
});

test('parsed selectors print canonically: sorted by key (the name, not the !), set members sorted', () => {
  assert.equal(parseLabelSelector('tier in (b,a,b), app=web , !gone,  exists').toString(), 'app=web,exists,!gone,tier in (a,b)');
  assert.equal(parseLabelSelector('kubernetes.io/service-name=web').toString(), 'kubernetes.io/service-name=web');
  assert.equal(parseLabelSelector('a==1,b!=2,c>3,d<4,e notin ()').toString(), 'a==1,b!=2,c>3,d<4,e notin ()');
});

function parseError(selector: string): ApiError {
  try {
    parseLabelSelector(selector);
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return e;
  }
  assert.fail(`${selector} parsed`);
}

test('bad selectors are 400 BadRequest with the apiserver parser messages', () => {
  const cases: [string, string][] = [
    ['app=web,', "found '', expected: identifier after ','"],
    ['app in (web', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['app in web', "unable to parse requirement: found 'web' expected: '('"],
    ['app=web tier', "found 'tier', expected: ',' or 'end of string'"],
    ['app=(web)', "unable to parse requirement: found '(', expected: identifier"],
    ['app web', "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    [',app', "found ',', expected: !, identifier, or 'end of string'"],
    ['release>a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      '-app=web',
      'unable to parse requirement: <nil>: Invalid value: "-app": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    ],
    [
      'app=-web',
      'unable to parse requirement: values[0][app]: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    ],
    [
      'Example.com/app=web',
      'unable to parse requirement: <nil>: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ],
  ];
  for (const [selector, message] of cases) {
    const err = parseError(selector);
    assert.deepEqual(err.toStatus(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 }, selector);
  }
});

test('a metav1.LabelSelector converts to a matcher and prints as Scale status.selector and SELECTOR show it', () => {
  const sel = {
    matchLabels: { app: 'web', 'pod-template-hash': '775855699b' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'app', operator: 'Exists' },
    ],
  };
  const m = labelSelectorAsMatcher(sel);
  assert.equal(m.matches(web), true);
  assert.equal(m.matches({ ...web, canary: 'true' }), false);
  assert.equal(m.matches(api), false);
  assert.equal(labelSelectorString(sel), 'app=web,app,!canary,pod-template-hash=775855699b,tier in (edge,frontend)');
  assert.equal(labelSelectorString({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(labelSelectorString({}), '');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '<error>');
  assert.throws(() => labelSelectorAsMatcher({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), {
    message: '"Gt" is not a valid label selector operator',
  });
  assert.throws(() => labelSelectorAsMatcher({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
    message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
  });
});

test('an empty LabelSelector selects everything, a missing one nothing', () => {
  assert.equal(labelSelectorAsMatcher({}).matches(bare), true);
  assert.equal(labelSelectorAsMatcher(undefined).matches(web), false);
  assert.equal(labelSelectorAsMatcher(null).empty(), false);
});

test('a Service-style label set matches the pods that carry all of it, and formats as key=value pairs', () => {
  assert.equal(labelMatcherFromSet({ app: 'web' }).matches(web), true);
  assert.equal(labelMatcherFromSet({ app: 'web', tier: 'backend' }).matches(web), false);
  assert.equal(labelMatcherFromSet({}).matches(bare), true);
  assert.equal(formatLabels({ tier: 'frontend', app: 'web' }), 'app=web,tier=frontend');
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabels(null), '<none>');
});
