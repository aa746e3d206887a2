import test from 'ava';
import { FileSettler, type TargetRead } from '../src/file-settler.js';
import type { SourceFile } from '../src/index.js';
import { routerYaml } from './helpers.js';

const WINDOW = 500;
const A = '/conf/a.yml';
const B = '/conf/b.yml';
const good = (name = 'a'): SourceFile => ({ path: A, text: routerYaml(name) });
const text = (t: string, path = A): SourceFile => ({ path, text: t });
const read = (...sources: SourceFile[]): TargetRead => ({ sources, errors: [] });
const enoent: TargetRead = { sources: [], errors: [{ file: A, path: [], message: 'cannot read the file: ENOENT' }] };
const texts = (r: TargetRead): string[] => r.sources.map((s) => s.text);

/** A settler that has seen `a.yml` good at t=0. */
function settled(): FileSettler {
  const settler = new FileSettler(WINDOW);
  settler.settle(read(good()), 0);
  return settler;
}

// What stands in for a file read in each state, during the window and once it is over.
const states: Array<[string, TargetRead, 'empty' | 'incomplete' | 'missing']> = [
  ['empty', read(text('')), 'empty'],
  ['only a comment and a bare key (cut early)', read(text('# generated\nhttp:\n')), 'empty'],
  ['cut inside a quoted rule', read(text(routerYaml('a').slice(0, 40))), 'incomplete'],
  ['cut inside a key name (decodes with an unknown field)', read(text('http:\n  routers:\n    a:\n      ru')), 'incomplete'],
  ['missing from a directory', read(), 'missing'],
  ['the single file missing (ENOENT)', enoent, 'missing'],
];

for (const [name, current, reason] of states) {
  test(`${name}: the last good content stands in until the window ends`, (t) => {
    const settler = settled();
    const first = settler.settle(current, 1_000);
    t.deepEqual(texts(first), [good().text]);
    t.deepEqual(first.errors, [], 'a held file reports no read error');
    t.deepEqual(first.held, [{ file: A, reason, first: true }]);
    t.is(first.recheckAt, 1_000 + WINDOW);
    t.false(first.incomplete);
    const later = settler.settle(current, 1_000 + WINDOW - 1);
    t.deepEqual(texts(later), [good().text]);
    t.deepEqual(later.held, [{ file: A, reason, first: false }], 'logged once per window');
    const over = settler.settle(current, 1_000 + WINDOW);
    t.deepEqual(over.held, []);
    t.is(over.recheckAt, undefined);
    t.deepEqual(over.sources, current.sources, 'once the window is over, the file is taken as it is');
    t.deepEqual(over.errors, current.errors);
  });
}

test('a write completing within the window: only the last good content, then the new one', (t) => {
  const settler = settled();
  t.deepEqual(texts(settler.settle(read(text('')), 100)), [good().text]);
  t.deepEqual(texts(settler.settle(read(text(routerYaml('b').slice(0, 30))), 200)), [good().text]);
  const done = settler.settle(read(good('b')), 300);
  t.deepEqual(texts(done), [good('b').text]);
  t.deepEqual(done.held, []);
  // The next truncation opens a new window, from its own start.
  t.is(settler.settle(read(text('')), 5_000).recheckAt, 5_000 + WINDOW);
});

test('content changing within one state does not restart the window; a change of state does', (t) => {
  const settler = settled();
  t.is(settler.settle(read(text('http: [')), 0).recheckAt, WINDOW);
  t.is(settler.settle(read(text('http: [x')), 300).recheckAt, WINDOW, 'still unparsable: same window');
  t.deepEqual(texts(settler.settle(read(text('http: [x,')), WINDOW)), ['http: [x,'], 'reported when the window ends');
  const emptied = settler.settle(read(text('')), WINDOW + 100);
  t.deepEqual(texts(emptied), [good().text], 'unparsable, then empty: rewritten in place again, a new window');
  t.is(emptied.recheckAt, WINDOW + 100 + WINDOW);
});

test('a file emptied for good is applied once, and an empty file is not held again', (t) => {
  const settler = settled();
  settler.settle(read(text('')), 0);
  t.deepEqual(texts(settler.settle(read(text('')), WINDOW)), ['']);
  const again = settler.settle(read(text('')), WINDOW + 1);
  t.deepEqual(again.held, []);
  t.deepEqual(texts(again), ['']);
});

test('files with no good content yet: an empty one is applied at once, an unparsable one is incomplete', (t) => {
  const settler = new FileSettler(WINDOW);
  const empty = settler.settle(read(text('')), 0);
  t.deepEqual(empty.held, []);
  t.deepEqual(texts(empty), ['']);
  const created = settler.settle(read(good(), text('http:\n  routers: [', B)), 0);
  t.true(created.incomplete, 'nothing may be published without b.yml');
  t.deepEqual(texts(created), [good().text]);
  t.deepEqual(created.held, [{ file: B, reason: 'incomplete', first: true }]);
  const over = settler.settle(read(good(), text('http:\n  routers: [', B)), WINDOW);
  t.false(over.incomplete);
  t.is(over.sources.length, 2);
});

test('a file removed from a directory is gone after the window and forgotten', (t) => {
  const settler = new FileSettler(WINDOW);
  settler.settle(read(good(), text(routerYaml('b'), B)), 0);
  t.deepEqual(texts(settler.settle(read(good()), 10)), [good().text, routerYaml('b')]);
  t.deepEqual(texts(settler.settle(read(good()), 10 + WINDOW)), [good().text]);
  const created = settler.settle(read(good(), text('', B)), 10_000);
  t.deepEqual(created.held, [], 'recreated empty: nothing to keep any more');
});

test('the single file missing past the window stays an error and keeps its last good content for later', (t) => {
  const settler = settled();
  settler.settle(enoent, 0);
  t.deepEqual(settler.settle(enoent, WINDOW).errors, enoent.errors);
  t.deepEqual(settler.settle(enoent, WINDOW * 3).errors, enoent.errors);
  // Recreated half-written: a fresh window, with the content last seen good standing in.
  const recreated = settler.settle(read(text('http: [')), WINDOW * 4);
  t.deepEqual(texts(recreated), [good().text]);
  t.deepEqual(recreated.held, [{ file: A, reason: 'incomplete', first: true }]);
});
