#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a rig run: merge the guest's KTAP with the kernel console.

The judge fails closed. Each requested test must have started and ended
in the console and in the KTAP log, printed a plan, printed as many
results as its plan announced and exited 0 unless a case failed. A
kernel splat printed while a script ran is a failing case of that
script. After the tests, the leak scan must have run (unless the boot
asked for kmemleak=off) and found nothing: each unreferenced object is
printed. A guest that never finished is a failing case of its own.

Exactly one splat is tolerated on x86_64, once per boot: the endpoint
core's WARN that the architecture has no generic PCI domains (a known
kernel TODO in __pci_epc_create()). Only lines shaped like that one
report, within a bound, are skipped; every other line in it is still
checked. arm64 has generic PCI domains: there no splat is tolerated.

Inside a surprise removal a test declares (between the console lines
"vntb-rig: surprise removal begins" and "... ends", closed at the end
of the test at the latest), the host's ntb_hw_epf WARNs when a command
it sends finds no endpoint to answer it: the driver's own behaviour on
hardware when the link goes. Those reports, and only those, are
skipped there, within the same bound; the count is printed.

usage: judge.py [--arch x86_64|arm64] CONSOLE.log KTAP.log on|off TEST...
       (the guest's architecture, x86_64 unless given; on|off: whether
       the guest ran with kmemleak)
"""
import re
import sys

SPLAT = re.compile(
    r"BUG:|WARNING:|KASAN|unreferenced object|suspected memory leak|Oops|"
    r"ODEBUG|list_add corruption|list_del corruption|list corruption|"
    r"blocked for more than|soft lockup|hard LOCKUP|Kernel panic|"
    r"general protection fault|possible recursive locking|"
    r"circular locking|inconsistent lock state|bad unlock balance|"
    r"held lock freed|suspicious RCU usage|lock held when returning|"
    r"possible irq lock inversion|invalid context|Call Trace:")
# kmemleak gave up (its early log overflowed, say): a boot that asked for
# it then has no leak verdict
KMEMLEAK_OFF = "memory leak detector disabled"
ALLOWED_WARN = "This architecture doesn't support generic PCI domains"
# the lines of that one WARN report: its WARNING line (up to 6.12 "CPU: N
# PID: N at FILE:LINE", from 7.2 on "FILE:LINE at FUNCTION, CPU#N"), the
# registers, the call trace and the end marker; at most ALLOWED_LINES
ALLOWED_SHAPE = re.compile(
    r"^(WARNING: (CPU: \d+ PID: \d+ at )?drivers/pci/endpoint/pci-epc-core\.c:"
    r"|Modules linked in:|CPU: \d+ |Tainted: |Hardware name: |RIP: |Code: "
    r"|RSP: |R[A-Z0-9]{2}: |FS: |CS: |CR2: |DR[0-9]: |PKRU: |Call Trace:"
    r"|\s*</?(TASK|IRQ)>|\s*(\? )?[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+"
    r"|irq event stamp: |hardirqs last|softirqs last|---\[ end trace )")
ALLOWED_LINES = 80
SURPRISE_BEGIN = "vntb-rig: surprise removal begins"
SURPRISE_END = "vntb-rig: surprise removal ends"
# the WARNING line of ntb_hw_epf's command timeout, 6.12's and 7.2's
HOST_WARN = re.compile(
    r"^WARNING: (CPU: \d+ PID: \d+ at )?drivers/ntb/hw/epf/ntb_hw_epf\.c:\d+"
    r"( ntb_epf_send_command\+| at ntb_epf_send_command\+)")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# a stack dump with no headline of its own (dump_stack() after a message
# such as "iounmap: bad address"): the lines it opens with, skipped to
# name the message before them
DUMP_HEAD = re.compile(r"^(CPU: \d+ |Tainted: |Hardware name: |Call Trace:|vntb-rig: )")

RESULT = re.compile(r"^(not ok|ok) \d+ ?(.*)$")
PLAN = re.compile(r"^1\.\.(\d+)")
MAX_SPLAT_CASES = 50


def with_cause(splat, before):
    """A bare "Call Trace:" with the message the dump followed, if any
    of the lines before it is one."""
    if splat != "Call Trace:":
        return splat
    for line in reversed(before):
        if line.strip() and not DUMP_HEAD.match(line.strip()):
            return '%s after "%s"' % (splat, line.strip())
    return splat


def console_splats(path, tolerate):
    """Read the console: splat lines per section, sections begun and
    ended, whether the guest finished, the lines themselves and the host
    WARNs skipped in declared surprise removals; the known x86 WARN is
    skipped once if tolerate."""
    splats = {}
    surprise = False
    host_warns = 0
    begun, ended = [], []
    section = "boot"
    allowed_seen = False
    allowed_left = 0
    done = False
    try:
        with open(path, errors="replace") as f:
            lines = [TIMESTAMP.sub("", l.rstrip("\r\n")) for l in f]
    except FileNotFoundError:
        lines = []
    for i, line in enumerate(lines):
        if line.startswith("vntb-rig: begin "):
            section = line[len("vntb-rig: begin "):]
            begun.append(section)
            continue
        if line.startswith("vntb-rig: end "):
            ended.append(line[len("vntb-rig: end "):])
            section = "between tests"
            surprise = False
            continue
        if line.startswith(SURPRISE_BEGIN) and section != "between tests":
            surprise = True
            continue
        if line.startswith(SURPRISE_END):
            surprise = False
            continue
        if surprise and HOST_WARN.match(line.strip()):
            host_warns += 1
            allowed_left = ALLOWED_LINES
            continue
        if line.startswith("vntb-rig: done"):
            done = True
            continue
        if allowed_left:
            allowed_left -= 1
            if ALLOWED_SHAPE.match(line.strip()):
                if "---[ end trace" in line:
                    allowed_left = 0
                continue
        if tolerate and ALLOWED_WARN in line and not allowed_seen:
            allowed_seen = True
            allowed_left = ALLOWED_LINES
            continue
        if SPLAT.search(line):
            splats.setdefault(section, []).append(
                with_cause(line.strip(), lines[max(0, i - 5):i]))
    return splats, begun, ended, done, lines, host_warns


def ktap_log(path):
    """Read the KTAP port: per section [results, other lines, rc, plan],
    and the leak scan's state and report."""
    sections = {}
    order = []
    leak = {"state": None, "lines": []}
    current = None
    in_leaks = False
    try:
        f = open(path, errors="replace")
    except FileNotFoundError:
        return sections, order, leak
    with f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if line.startswith("# vntb-rig begin "):
                name = line[len("# vntb-rig begin "):]
                current = {"results": [], "other": [], "rc": None,
                           "plan": None}
                sections[name] = current
                order.append(name)
            elif line.startswith("# vntb-rig end ") and current:
                m = re.search(r"rc=(\d+)", line)
                current["rc"] = int(m.group(1)) if m else None
                current = None
            elif line.startswith("# vntb-rig kmemleak "):
                leak["state"] = line.split()[3]
                in_leaks = leak["state"] == "scanned"
            elif line.startswith("# vntb-rig done"):
                in_leaks = False
            elif in_leaks:
                leak["lines"].append(line)
            elif current is not None:
                m = PLAN.match(line)
                if m and current["plan"] is None:
                    current["plan"] = int(m.group(1))
                elif RESULT.match(line):
                    current["results"].append(line)
                else:
                    current["other"].append(line)
    return sections, order, leak


def test_cases(name, sec, splats, begun, ended):
    """The cases of one requested test, as (ok, description)."""
    cases = []
    if sec is None:
        return [(False, "script ran (no KTAP section: the guest never "
                 "reached it)")]
    for r in sec["results"]:
        m = RESULT.match(r)
        cases.append((m.group(1) == "ok", m.group(2)))
    lines = splats.get(name, [])
    for s in lines[:MAX_SPLAT_CASES]:
        cases.append((False, "no kernel splat: " + s))
    if len(lines) > MAX_SPLAT_CASES:
        cases.append((False, "no kernel splat: %d more splat lines"
                      % (len(lines) - MAX_SPLAT_CASES)))
    if name not in begun or name not in ended:
        cases.append((False, "console shows the script's begin and end "
                      "markers"))
    if sec["rc"] is None:
        cases.append((False, "script finished (it did not: crash or hang)"))
        return cases
    if sec["plan"] is None:
        cases.append((False, "script printed a plan (rc=%d)" % sec["rc"]))
    elif sec["plan"] != len(sec["results"]):
        cases.append((False, "script ran its plan: %d of %d results"
                      % (len(sec["results"]), sec["plan"])))
    if sec["rc"] != 0 and all(ok for ok, _ in cases):
        cases.append((False, "script exited 0 (it exited %d)" % sec["rc"]))
    return cases


def leak_case(leak, kmemleak, said, disabled):
    """The final leak scan as one case, and the lines to print under it;
    said: the splat lines the kernel printed during the scan; disabled:
    the console's lines saying kmemleak turned itself off."""
    if said and (kmemleak == "off" or leak["state"] != "scanned"):
        return False, "no leaks: the kernel says %s" % said[0], said
    if kmemleak == "off":
        if leak["state"] != "off":
            return False, "leak scan off as asked (guest says %s)" \
                % leak["state"], []
        return True, "no leaks # SKIP kmemleak=off for this boot", []
    if leak["state"] != "scanned":
        return False, "no leaks (the scan did not run: %s)" % \
            leak["state"], []
    if disabled:
        return False, "no leaks (kmemleak disabled itself: %s)" % \
            disabled[0], []
    objects = sum(1 for l in leak["lines"] if "unreferenced object" in l)
    if objects or said:
        return False, "no leaks: kmemleak reports %d unreferenced objects" \
            % objects, said + leak["lines"]
    return True, "no leaks: kmemleak reports 0 objects", []


def main():
    args = sys.argv[1:]
    arch = "x86_64"
    if args[:1] == ["--arch"]:
        arch, args = args[1], args[2:]
    console, ktap, kmemleak = args[:3]
    requested = args[3:]
    splats, begun, ended, done, lines, host_warns = console_splats(
        console, arch == "x86_64")
    leak_said = splats.pop("kmemleak", [])
    sections, order, leak = ktap_log(ktap)
    passed = failed = skipped = 0

    def count(ok, desc):
        nonlocal passed, failed, skipped
        if not ok:
            failed += 1
        elif "# SKIP" in desc:
            skipped += 1
        else:
            passed += 1

    print("KTAP version 1")
    print("1..%d" % (len(requested) + 2))
    if host_warns:
        print("# %d ntb_hw_epf command timeout WARNs inside declared "
              "surprise removals, skipped" % host_warns)
    for n, name in enumerate(requested, 1):
        cases = test_cases(name, sections.get(name), splats, begun, ended)
        sec = sections.get(name)
        print("# Subtest: %s" % name)
        print("    KTAP version 1")
        print("    1..%d" % len(cases))
        for line in (sec["other"] if sec else []):
            if line.startswith("#"):
                print("    " + line)
        for i, (ok, desc) in enumerate(cases, 1):
            print("    %s %d %s" % ("ok" if ok else "not ok", i, desc))
            count(ok, desc)
        ok_all = all(ok for ok, _ in cases)
        print("%s %d %s" % ("ok" if ok_all else "not ok", n, name))

    n = len(requested) + 1
    final = []
    for key in ("boot", "between tests"):
        final += splats.get(key, [])
    for name in splats:
        if name not in requested and name not in ("boot", "between tests"):
            final += splats[name]
    if order != requested:
        final.append("the guest ran %s, not the requested %s"
                     % (" ".join(order) or "nothing", " ".join(requested)))
    if not done:
        final.append("guest did not finish (timeout, panic or hang)")
    if final:
        print("not ok %d kernel clean outside tests" % n)
        for s in final[:MAX_SPLAT_CASES]:
            print("# " + s)
        if not done:
            for l in lines[-40:]:
                print("# console: " + l)
    else:
        print("ok %d kernel clean outside tests" % n)
    count(not final, "")

    disabled = [l for l in lines if KMEMLEAK_OFF in l]
    ok, desc, report = leak_case(leak, kmemleak, leak_said, disabled)
    print("%s %d %s" % ("ok" if ok else "not ok", n + 1, desc))
    for l in report:
        print("# kmemleak: " + l)
    count(ok, desc)

    for name, found in splats.items():
        for s in found[:10]:
            print("# splat in %s: %s" % (name, s), file=sys.stderr)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
