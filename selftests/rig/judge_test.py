#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The judge judged: crafted consoles and KTAP logs, each with the
verdict judge.py must give. Prints KTAP, one case per crafted run.

usage: judge_test.py
"""
import os
import subprocess
import sys
import tempfile

JUDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "judge.py")

# the accepted WARN's own line, as 6.12 prints it
ALLOWED_AT = ("CPU: 1 PID: 40 at drivers/pci/endpoint/pci-epc-core.c:887 "
              "__pci_epc_create+0x1/0x2")
ALLOWED = """------------[ cut here ]------------
This architecture doesn't support generic PCI domains
WARNING: """ + ALLOWED_AT + """
Modules linked in: pci_epc_sim(O+)
CPU: 1 UID: 0 PID: 40 Comm: insmod Tainted: G O 6.12.118 #1
RIP: 0010:__pci_epc_create+0x1/0x2
RSP: 0018:ffff EFLAGS: 00010282
RAX: 0 RBX: 0 RCX: 0
Call Trace:
 <TASK>
 ? __warn+0x8f/0x1a0
 do_one_initcall+0x153/0x2fa
 </TASK>
---[ end trace 0000000000000000 ]---
"""

# ntb_hw_epf's command timeout, as 6.12 prints it
HOST_WARN = """------------[ cut here ]------------
WARNING: CPU: 0 PID: 77 at drivers/ntb/hw/epf/ntb_hw_epf.c:139 ntb_epf_send_command+0x1/0x2 [ntb_hw_epf]
Modules linked in: ntb_hw_epf pci_epc_sim(O)
CPU: 0 UID: 0 PID: 77 Comm: kworker/u8:1 Tainted: G O 6.12.118 #1
Workqueue: events_unbound epc_sim_host_unplug_work [pci_epc_sim]
RIP: 0010:ntb_epf_send_command+0x1/0x2 [ntb_hw_epf]
Call Trace:
 <TASK>
 ntb_epf_cleanup_isr+0x1/0x2 [ntb_hw_epf]
 </TASK>
---[ end trace 0000000000000000 ]---
"""
SURPRISE = ("vntb-rig: surprise removal begins\n%s"
            "vntb-rig: surprise removal ends\n")


def console(*body, done=True):
    lines = ["vntb-rig: guest up"]
    for b in body:
        lines += b.splitlines()
    lines += ["vntb-rig: begin kmemleak", "vntb-rig: end kmemleak"]
    if done:
        lines.append("vntb-rig: done")
    return "\n".join(lines) + "\n"


def section(name, inner):
    return "vntb-rig: begin %s\n%svntb-rig: end %s\n" % (name, inner, name)


def ktap(*scripts, leak="scanned", leaks="", done=True):
    out = []
    for name, body, rc in scripts:
        out.append("# vntb-rig begin " + name)
        out += body.splitlines()
        if rc is not None:
            out.append("# vntb-rig end %s rc=%d" % (name, rc))
    if leak:
        out.append("# vntb-rig kmemleak " + leak)
        out += leaks.splitlines()
    if done:
        out.append("# vntb-rig done")
    return "\n".join(out) + "\n"


GOOD = "KTAP version 1\n1..2\nok 1 a\nok 2 b\n"
LEAK = """unreferenced object 0xffff888005 (size 64):
  comm "insmod", pid 41, jiffies 4294894164
  backtrace (crc 0):
    __kmalloc_cache_noprof+0x14c/0x18b
"""

# name, console, ktap, kmemleak on|off, expected exit, a line expected,
# and the guest's architecture when not x86_64
CASES = [
    ("clean run passes",
     console(section("t.sh", ALLOWED)), ktap(("t.sh", GOOD, 0)), "on", 0,
     "ok 3 no leaks: kmemleak reports 0 objects"),
    ("the x86 WARN in 7.2's format passes",
     console(section("t.sh", ALLOWED.replace(ALLOWED_AT, (
         "drivers/pci/endpoint/pci-epc-core.c:1089 at "
         "__pci_epc_create+0x1/0x2, CPU#0: insmod/45")))),
     ktap(("t.sh", GOOD, 0)), "on", 0,
     "ok 3 no leaks: kmemleak reports 0 objects"),
    ("another WARN in 7.2's format fails",
     console(section("t.sh", ALLOWED.replace(ALLOWED_AT, (
         "kernel/workqueue.c:5860 at __alloc_workqueue+0x1/0x2, "
         "CPU#0: insmod/47")))),
     ktap(("t.sh", GOOD, 0)), "on", 1,
     "no kernel splat: WARNING: kernel/workqueue.c:5860"),
    ("the x86 WARN fails on arm64",
     console(section("t.sh", ALLOWED)), ktap(("t.sh", GOOD, 0)), "on", 1,
     "no kernel splat: WARNING: CPU: 1 PID: 40 at", "arm64"),
    ("a clean arm64 run passes",
     console(section("t.sh", "")), ktap(("t.sh", GOOD, 0)), "on", 0,
     "ok 3 no leaks: kmemleak reports 0 objects", "arm64"),
    ("the accepted WARN once, a second one fails",
     console(section("t.sh", ALLOWED + ALLOWED)), ktap(("t.sh", GOOD, 0)),
     "on", 1, "not ok 1 t.sh"),
    ("a KASAN report inside the accepted WARN fails",
     console(section("t.sh", ALLOWED.replace(
         "Call Trace:", "BUG: KASAN: slab-out-of-bounds in x+0x1/0x2\nCall Trace:"))),
     ktap(("t.sh", GOOD, 0)), "on", 1, "no kernel splat: BUG: KASAN"),
    ("the accepted WARN without its end marker hides nothing after it",
     console(section("t.sh", ALLOWED.replace("---[ end trace", "lost")
                     + "foo\n" * 100 + "BUG: KASAN: use-after-free\n")),
     ktap(("t.sh", GOOD, 0)), "on", 1, "no kernel splat: BUG: KASAN"),
    ("host WARNs inside a declared surprise removal pass, counted",
     console(section("t.sh", SURPRISE % (HOST_WARN + HOST_WARN))),
     ktap(("t.sh", GOOD, 0)), "on", 0,
     "# 2 ntb_hw_epf command timeout WARNs inside declared"),
    ("a host WARN outside a surprise removal fails",
     console(section("t.sh", SURPRISE % "" + HOST_WARN)),
     ktap(("t.sh", GOOD, 0)), "on", 1, "no kernel splat: WARNING: CPU: 0"),
    ("a surprise removal left open ends with its test",
     console(section("t.sh", "vntb-rig: surprise removal begins\n"),
             section("u.sh", HOST_WARN)),
     ktap(("t.sh", GOOD, 0)), "on", 1, "kernel clean outside tests"),
    ("another WARN inside a surprise removal fails",
     console(section("t.sh", SURPRISE % HOST_WARN.replace(
         "ntb_epf_send_command+0x1/0x2 [ntb_hw_epf]\nModules",
         "ntb_epf_peer_db_set+0x1/0x2 [ntb_hw_epf]\nModules"))),
     ktap(("t.sh", GOOD, 0)), "on", 1, "no kernel splat: WARNING: CPU: 0"),
    ("a short plan fails",
     console(section("t.sh", "")),
     ktap(("t.sh", "KTAP version 1\n1..17\nok 1 a\nok 2 b\nok 3 c\n", 1)),
     "on", 1, "script ran its plan: 3 of 17 results"),
    ("no plan fails",
     console(section("t.sh", "")), ktap(("t.sh", "ok 1 a\n", 0)), "on", 1,
     "script printed a plan"),
    ("a non-zero exit with every case ok fails",
     console(section("t.sh", "")), ktap(("t.sh", GOOD, 2)), "on", 1,
     "script exited 0 (it exited 2)"),
    ("a script that never ended fails",
     console(section("t.sh", ""), done=False),
     ktap(("t.sh", GOOD, None), leak=None, done=False), "on", 1,
     "script finished (it did not"),
    ("a requested script that never ran fails",
     console(section("t.sh", "")), ktap(("t.sh", GOOD, 0)), "on", 1,
     "not ok 2 u.sh"),
    ("an unreferenced object fails",
     console(section("t.sh", "")), ktap(("t.sh", GOOD, 0), leaks=LEAK),
     "on", 1, "no leaks: kmemleak reports 1 unreferenced objects"),
    ("a leak scan that did not run fails",
     console(section("t.sh", "")), ktap(("t.sh", GOOD, 0), leak="failed"),
     "on", 1, "the scan did not run"),
    ("a leak the kernel reports during the scan fails",
     console(section("t.sh", "")).replace(
         "vntb-rig: end kmemleak",
         "kmemleak: 1 new suspected memory leaks\nvntb-rig: end kmemleak"),
     ktap(("t.sh", GOOD, 0)), "on", 1, "no leaks: kmemleak reports 0"),
    ("a splat between tests fails",
     console(section("t.sh", ""), "WARNING: CPU: 0 PID: 1 at x.c:1 y\n"),
     ktap(("t.sh", GOOD, 0)), "on", 1, "not ok 2 kernel clean outside tests"),
    ("kmemleak off as asked is no splat",
     console("kmemleak: Kernel memory leak detector disabled\n",
             section("t.sh", "")),
     ktap(("t.sh", GOOD, 0), leak="off"), "off", 0,
     "ok 3 no leaks # SKIP kmemleak=off"),
    ("kmemleak that disabled itself fails a boot that asked for it",
     console("kmemleak: Kernel memory leak detector disabled\n",
             section("t.sh", "")),
     ktap(("t.sh", GOOD, 0)), "on", 1, "kmemleak disabled itself"),
    ("a stack dump without a headline names the message before it",
     console(section("t.sh", "iounmap: bad address 00000000deadbeef\n"
                     "CPU: 0 UID: 0 PID: 5 Comm: rm Tainted: G O 6.12.118 #1\n"
                     "Tainted: [W]=WARN, [O]=OOT_MODULE\nCall Trace:\n"
                     " <TASK>\n dump_stack_lvl+0x1/0x2\n </TASK>\n")),
     ktap(("t.sh", GOOD, 0)), "on", 1,
     'no kernel splat: Call Trace: after "iounmap: bad address'),
    ("many splat lines all count",
     console(section("t.sh", "Call Trace:\n" * 60)), ktap(("t.sh", GOOD, 0)),
     "on", 1, "no kernel splat: 10 more splat lines"),
]


def main():
    print("KTAP version 1")
    print("1..%d" % len(CASES))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        con, log = os.path.join(tmp, "console"), os.path.join(tmp, "ktap")
        for n, case in enumerate(CASES, 1):
            name, c, k, leak, code, want = case[:6]
            arch = ["--arch", case[6]] if len(case) > 6 else []
            with open(con, "w") as f:
                f.write(c)
            with open(log, "w") as f:
                f.write(k)
            tests = ["t.sh"] + (["u.sh"] if "never ran" in name else [])
            run = subprocess.run([sys.executable, JUDGE] + arch
                                 + [con, log, leak] + tests,
                                 capture_output=True, text=True)
            ok = run.returncode == code and want in run.stdout
            if not ok:
                failed += 1
                for line in run.stdout.splitlines():
                    print("# " + line)
            print("%s %d judge: %s" % ("ok" if ok else "not ok", n, name))
    print("%d passed, %d failed" % (len(CASES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
