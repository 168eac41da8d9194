// Deterministic random input for the parser's never-throws tests.

export { seededRandom } from '../../helpers/seededRandom';

/** Random UTF-16 text, biased towards the characters YAML gives meaning to. */
export function randomText(rand: () => number, length: number): string {
  const special = ':-?[]{},#&*!|>\'"%@` \t\n\r\\.';
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rand();
    if (r < 0.5) s += special[Math.floor(rand() * special.length)];
    else if (r < 0.9) s += String.fromCharCode(97 + Math.floor(rand() * 26));
    else s += String.fromCharCode(Math.floor(rand() * 0xffff));
  }
  return s;
}
