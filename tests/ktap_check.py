#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# ktap_check.py - checks a KTAP version 1 document, independently of oomlab's own writer.
#
#   python3 tests/ktap_check.py FILE
#
# Reads the document as Documentation/dev-tools/ktap.rst of the kernel specifies it: a version
# line, a plan, then per test its subtests (indented two spaces more, each block beginning
# with its own version line and plan) and its result line "ok|not ok N [description]
# [# DIRECTIVE [reason]]", numbered from 1 at each level; "#" lines are diagnostics, and any
# other line is an unknown line, allowed. Fails (status 1, the line and what was wrong) where
# a block lacks its version line or plan, a number is out of order, a plan is not met, a
# description holds '#', TIMEOUT or ERROR follow "ok", or a parent is "ok" over a failed
# subtest. Prints one line per top-level test, "<result> <name> pass:P fail:F skip:S", its
# subtests' tally, then the totals, for the caller to hold against its own records.
# --selftest runs it on documents it must refuse and one it must read.
import re
import sys

RESULT = re.compile(r'^(ok|not ok) (\d+)(?: ([^#]*?))?\s*(?:# ?(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)$')
DIRECTIVES = ('SKIP', 'TODO', 'XFAIL', 'TIMEOUT', 'ERROR')


class Bad(Exception):
    pass


def outcome(ok, directive):
    word = directive.split(' ', 1)[0].upper() if directive else ''
    if word == 'SKIP':
        return 'skip'
    if word in ('TIMEOUT', 'ERROR') and ok:
        raise Bad('%s after "ok"' % word)
    return 'pass' if ok else 'fail'


def parse(lines, i, depth):
    """Reads the block at indentation depth from lines[i]; returns (tests, next index)."""
    pad = '  ' * depth
    known = lambda s: s.startswith(pad) and not s.startswith(pad + ' ') and \
        (s[len(pad):] == 'KTAP version 1' or PLAN.match(s[len(pad):]) or RESULT.match(s[len(pad):]))
    while i < len(lines) and not known(lines[i]):
        i += 1
    if i == len(lines) or lines[i] != pad + 'KTAP version 1':
        raise Bad('line %d: expected "%sKTAP version 1"' % (i + 1, pad))
    i += 1
    while i < len(lines) and lines[i].lstrip().startswith('#'):
        i += 1
    m = PLAN.match(lines[i][len(pad):]) if i < len(lines) and lines[i].startswith(pad) else None
    if not m:
        raise Bad('line %d: expected the plan "%s1..N"' % (i + 1, pad))
    planned = int(m.group(1))
    i += 1
    tests = []
    subs = None
    while len(tests) < planned:
        if i == len(lines):
            raise Bad('end of file: the plan at depth %d says %d tests, %d came'
                      % (depth, planned, len(tests)))
        s = lines[i]
        if s == pad + '  KTAP version 1':
            if subs is not None:
                raise Bad('line %d: a second subtest block before a result line' % (i + 1))
            subs, i = parse(lines, i, depth + 1)
            continue
        body = s[len(pad):] if s.startswith(pad) else None
        m = RESULT.match(body) if body is not None and not body.startswith(' ') else None
        if not m and body is not None and body.startswith('  ') and \
                (RESULT.match(body.strip()) or PLAN.match(body.strip())):
            raise Bad('line %d: expected "%s  KTAP version 1" before a subtest\'s lines'
                      % (i + 1, pad))
        if not m:
            i += 1  # a diagnostic or an unknown line
            continue
        ok, num, desc, directive = m.group(1) == 'ok', int(m.group(2)), m.group(3) or '', m.group(4)
        if num != len(tests) + 1:
            raise Bad('line %d: test %d where %d was due' % (i + 1, num, len(tests) + 1))
        try:
            out = outcome(ok, directive)
        except Bad as e:
            raise Bad('line %d: %s' % (i + 1, e))
        if subs is not None and ok and any(t['outcome'] == 'fail' for t in subs):
            raise Bad('line %d: "ok" over a failed subtest' % (i + 1))
        tests.append({'name': desc.strip(), 'outcome': out, 'subtests': subs or [],
                      'directive': directive or ''})
        subs = None
        i += 1
    return tests, i


# Documents this checker must refuse, and one it must take (--selftest).
BAD = [
    ('KTAP version 1\n1..1\n  KTAP version 1\n  1..2\n  ok 1 a\n  not ok 2 b\nok 1 s\n',
     '"ok" over a failed subtest'),
    ('KTAP version 1\n1..1\n  KTAP version 1\n  1..2\n  ok 1 a\n  ok 3 b\nok 1 s\n',
     'test 3 where 2 was due'),
    ('KTAP version 1\n1..2\nok 1 a\n', 'the plan'),
    ('KTAP version 1\n1..1\nok 1 a # TIMEOUT 30 s\n', 'TIMEOUT after "ok"'),
    ('1..1\nok 1 a\n', 'expected "KTAP version 1"'),
    ('KTAP version 1\n1..1\n  1..1\n  ok 1 a\nok 1 s\n', 'expected "  KTAP version 1" before'),
]
GOOD = ('KTAP version 1\n# a diagnostic\n1..2\n  KTAP version 1\n  # Subtest: s\n  1..3\n'
        '  ok 1 a\nkernel: an unknown line\n  # seen: x\n  not ok 2 b # ERROR no agent\n'
        '  ok 3 c # SKIP not run\n# s: pass:1 fail:1 skip:1\nnot ok 1 s\nok 2 t # SKIP\n')


def selftest():
    for doc, why in BAD:
        try:
            parse(doc.split('\n'), 0, 0)
        except Bad as e:
            if why not in str(e):
                print('refused for another reason: %s (wanted: %s)' % (e, why))
                return 1
            continue
        print('took a bad document: %r' % doc)
        return 1
    tests, _ = parse(GOOD.split('\n'), 0, 0)
    got = [(t['outcome'], [s['outcome'] for s in t['subtests']]) for t in tests]
    if got != [('fail', ['pass', 'fail', 'skip']), ('skip', [])]:
        print('read the good document as %r' % got)
        return 1
    print('selftest: %d bad documents refused, the good one read' % len(BAD))
    return 0


def main():
    if sys.argv[1] == '--selftest':
        return selftest()
    lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
    try:
        tests, _ = parse(lines, 0, 0)
    except Bad as e:
        print('%s: %s' % (sys.argv[1], e))
        return 1
    total = {'pass': 0, 'fail': 0, 'skip': 0}
    for t in tests:
        tally = {'pass': 0, 'fail': 0, 'skip': 0}
        for s in t['subtests']:
            tally[s['outcome']] += 1
            total[s['outcome']] += 1
        print('%s %s pass:%d fail:%d skip:%d' % (t['outcome'], t['name'], tally['pass'],
                                                 tally['fail'], tally['skip']))
    print('total pass:%d fail:%d skip:%d' % (total['pass'], total['fail'], total['skip']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
