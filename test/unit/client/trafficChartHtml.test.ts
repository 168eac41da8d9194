// The traffic chart page: the bars' shares, the even-split line, failures, and a page that
// runs nothing and shows server text only as text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trafficChartHtml } from '../../../client/src/views/trafficChartHtml';

const result = {
  service: 'default/web',
  target: '10.96.12.7:80',
  total: 300,
  byPod: [
    { pod: 'web-b', ip: '10.244.0.16', count: 96 },
    { pod: 'web-a', ip: '10.244.0.15', count: 104 },
    { pod: 'web-c', ip: '10.244.0.17', count: 97 },
  ],
  failures: [{ message: 'connection reset by peer', count: 3 }],
};

describe('trafficChartHtml', () => {
  const html = trafficChartHtml(result, { nonce: 'n0nce', requested: 300 });

  it('allows only its own stylesheet and runs no script', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce';">/);
    assert.match(html, /<style nonce="n0nce">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /style="/, 'inline style attributes would be blocked by the CSP');
  });

  it('draws one bar per pod, in name order, as a share of all requests', () => {
    const rows = [...html.matchAll(/<span class="pod">([^<]+)<\/span><span class="ip">([^<]+)<\/span>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(rows, [
      ['web-a', '10.244.0.15'],
      ['web-b', '10.244.0.16'],
      ['web-c', '10.244.0.17'],
    ]);
    assert.match(html, /\.bar-0 \{ width: 34\.7%; \}/);
    assert.match(html, /\.bar-1 \{ width: 32\.0%; \}/);
    assert.match(html, /\.bar-2 \{ width: 32\.3%; \}/);
    assert.match(html, /300 requests \(300 asked for\): 297 answered, 3 failed\./);
  });

  it('marks the even split and lists failures', () => {
    assert.match(html, /\.even \{[^}]*left: 33\.3%/);
    assert.match(html, /An even spread gives each 33\.3 %/);
    assert.match(html, /<li><span class="num">3×<\/span> connection reset by peer<\/li>/);
  });

  it('shows pod names and messages as text, never as markup', () => {
    const hostile = trafficChartHtml(
      { ...result, service: '<img src=x>', byPod: [{ pod: '<script>alert(1)</script>', ip: '"&', count: 1 }], failures: [{ message: '</style><b>', count: 1 }] },
      { nonce: 'n', requested: 2 },
    );
    assert.doesNotMatch(hostile, /<script>|<img|<\/style><b>/);
    assert.match(hostile, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  });

  it('explains an answer from no pod at all', () => {
    const none = trafficChartHtml({ ...result, byPod: [], failures: [{ message: 'connection refused', count: 300 }] }, { nonce: 'n', requested: 300 });
    assert.match(none, /No pod answered\. A Service without ready endpoints refuses connections/);
    assert.doesNotMatch(none, /<table>/);
  });
});
