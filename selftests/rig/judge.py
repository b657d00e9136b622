#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a rig run: merge the guest's KTAP with the kernel console.

Every test script's cases count as they reported, except that a kernel
splat printed while a script ran adds a failing case to that script. A
leak found by the final kmemleak scan, or a guest that never finished,
is a failing case of its own. Exactly one splat is tolerated, once per
boot: the x86 endpoint core's WARN that the architecture has no generic
PCI domains (a known kernel TODO in __pci_epc_create()).

usage: judge.py CONSOLE.log KTAP.log
"""
import re
import sys

SPLAT = re.compile(
    r"BUG:|WARNING:|KASAN|unreferenced object|Oops|ODEBUG|"
    r"list_add corruption|list_del corruption|list corruption|"
    r"blocked for more than|soft lockup|hard LOCKUP|Kernel panic|"
    r"general protection fault|possible recursive locking|"
    r"circular locking|inconsistent lock state|bad unlock balance|"
    r"held lock freed|suspicious RCU usage|lock held when returning|"
    r"possible irq lock inversion|invalid context|Call Trace:")
ALLOWED_WARN = "This architecture doesn't support generic PCI domains"
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(not ok|ok) \d+ ?(.*)$")


def console_splats(path):
    """Map section name -> list of splat lines; also return done flag."""
    splats = {}
    section = "boot"
    allowed_seen = 0
    skipping = False
    done = False
    with open(path, errors="replace") as f:
        lines = [TIMESTAMP.sub("", l.rstrip("\r\n")) for l in f]
    for i, line in enumerate(lines):
        if line.startswith("vntb-rig: begin "):
            section = line[len("vntb-rig: begin "):]
            continue
        if line.startswith("vntb-rig: end "):
            section = "between tests"
            continue
        if line.startswith("vntb-rig: done"):
            done = True
            continue
        if skipping:
            if "---[ end trace" in line:
                skipping = False
            continue
        if ALLOWED_WARN in line and allowed_seen == 0:
            allowed_seen += 1
            skipping = True
            continue
        if SPLAT.search(line):
            splats.setdefault(section, []).append(line.strip())
    return splats, done, lines


def ktap_sections(path):
    """Return [(name, [result lines], [other lines], rc)] in run order."""
    sections = []
    current = None
    try:
        f = open(path, errors="replace")
    except FileNotFoundError:
        return sections
    with f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if line.startswith("# vntb-rig begin "):
                current = (line[len("# vntb-rig begin "):], [], [], [None])
                sections.append(current)
            elif line.startswith("# vntb-rig end ") and current:
                m = re.search(r"rc=(\d+)", line)
                current[3][0] = int(m.group(1)) if m else None
                current = None
            elif current is not None:
                if RESULT.match(line):
                    current[1].append(line)
                else:
                    current[2].append(line)
    return sections


def main():
    splats, done, console = console_splats(sys.argv[1])
    sections = ktap_sections(sys.argv[2])
    passed = failed = skipped = 0
    print("KTAP version 1")
    print("1..%d" % (len(sections) + 1))
    for n, (name, results, other, rc) in enumerate(sections, 1):
        cases = []
        for r in results:
            m = RESULT.match(r)
            cases.append((m.group(1) == "ok", m.group(2)))
        for s in splats.get(name, [])[:5]:
            cases.append((False, "no kernel splat: " + s))
        if rc[0] is None:
            cases.append((False, "script finished (it did not: crash or hang)"))
        elif not results:
            cases.append((False, "script reported results (rc=%d)" % rc[0]))
        print("# Subtest: %s" % name)
        print("    KTAP version 1")
        print("    1..%d" % len(cases))
        for line in other:
            if line.startswith("#"):
                print("    " + line)
        ok_all = True
        for i, (ok, desc) in enumerate(cases, 1):
            print("    %s %d %s" % ("ok" if ok else "not ok", i, desc))
            if not ok:
                failed += 1
                ok_all = False
            elif "# SKIP" in desc:
                skipped += 1
            else:
                passed += 1
        print("%s %d %s" % ("ok" if ok_all else "not ok", n, name))

    final = []
    for s in splats.get("kmemleak", []):
        final.append(s)
    for key in ("boot", "between tests"):
        final += splats.get(key, [])
    if not done:
        final.append("guest did not finish (timeout, panic or hang)")
    n = len(sections) + 1
    if final:
        failed += 1
        print("not ok %d kernel clean outside tests, no leaks" % n)
        for s in final[:20]:
            print("# " + s)
        if not done:
            for l in console[-40:]:
                print("# console: " + l)
    else:
        passed += 1
        print("ok %d kernel clean outside tests, no leaks" % n)
    for name, lines in splats.items():
        for s in lines[:10]:
            print("# splat in %s: %s" % (name, s), file=sys.stderr)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
