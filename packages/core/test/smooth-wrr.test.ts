import test from 'ava';
import { SmoothWeightedRoundRobin } from '../src/services/smooth-wrr.js';

const item = (id: string, weight: number, up = { v: true }) => ({ id, weight, available: () => up.v });

const cases: Array<{ title: string; weights: Array<[string, number]>; picks: number; expected: string }> = [
  { title: 'equal weights alternate', weights: [['a', 1], ['b', 1]], picks: 4, expected: 'abab' },
  { title: '5:1:1 is spread smoothly', weights: [['a', 5], ['b', 1], ['c', 1]], picks: 7, expected: 'aabacaa' },
  { title: 'weight 0 is never picked', weights: [['a', 1], ['b', 0]], picks: 3, expected: 'aaa' },
  { title: 'negative weight is never picked', weights: [['a', -1], ['b', 2]], picks: 2, expected: 'bb' },
];

for (const c of cases) {
  test(c.title, (t) => {
    const wrr = new SmoothWeightedRoundRobin(c.weights.map(([id, w]) => item(id, w)));
    let out = '';
    for (let i = 0; i < c.picks; i++) out += wrr.next()?.id ?? '-';
    t.is(out, c.expected);
  });
}

test('unavailable items are skipped and none available gives undefined', (t) => {
  const bUp = { v: true };
  const wrr = new SmoothWeightedRoundRobin([item('a', 1, { v: false }), item('b', 1, bUp)]);
  t.is(wrr.next()?.id, 'b');
  t.is(wrr.next()?.id, 'b');
  bUp.v = false;
  t.is(wrr.next(), undefined);
});
