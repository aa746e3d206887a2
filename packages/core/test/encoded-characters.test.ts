import test from 'ava';
import { deniedEscapes, hasDeniedEscape } from '../src/server/encoded-characters.js';

const all = { allowEncodedSlash: true, allowEncodedBackSlash: true, allowEncodedNullCharacter: true, allowEncodedSemicolon: true, allowEncodedPercent: true, allowEncodedQuestionMark: true, allowEncodedHash: true };

test('every escape is allowed by default, as in Traefik', (t) => {
  t.is(deniedEscapes(all).size, 0);
  t.false(hasDeniedEscape('/a%2F%5C%00%3B%25%3F%23', deniedEscapes(all)));
});

const cases: Array<{ option: keyof typeof all; target: string; denied: boolean }> = [
  { option: 'allowEncodedSlash', target: '/a%2Fb', denied: true },
  { option: 'allowEncodedSlash', target: '/a%2fb', denied: true },
  { option: 'allowEncodedSlash', target: '/a%20b', denied: false },
  { option: 'allowEncodedBackSlash', target: '/a%5cb', denied: true },
  { option: 'allowEncodedNullCharacter', target: '/%00', denied: true },
  { option: 'allowEncodedSemicolon', target: '/a%3Bb', denied: true },
  { option: 'allowEncodedPercent', target: '/a%25b', denied: true },
  { option: 'allowEncodedQuestionMark', target: '/a%3fb', denied: true },
  { option: 'allowEncodedHash', target: '/a%23b', denied: true },
  // Only the path counts: the query may hold anything.
  { option: 'allowEncodedSlash', target: '/a?x=%2F', denied: false },
  { option: 'allowEncodedSlash', target: 'http://h.test/a%2Fb?x=1', denied: true },
  { option: 'allowEncodedSlash', target: 'http://h.test%2F', denied: false },
  // A truncated escape is refused whenever some escape is (Traefik answers 400 too).
  { option: 'allowEncodedSlash', target: '/a%2', denied: true },
  // `%25` decodes to `%`: `%252F` holds an encoded percent, not an encoded slash.
  { option: 'allowEncodedSlash', target: '/a%252F', denied: false },
];
for (const c of cases) {
  test(`${c.option}=false: ${c.target} ${c.denied ? 'refused' : 'allowed'}`, (t) => {
    t.is(hasDeniedEscape(c.target, deniedEscapes({ ...all, [c.option]: false })), c.denied);
  });
}
